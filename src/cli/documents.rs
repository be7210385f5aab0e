//! The exam documents a command scores against: the federal exam's
//! documents embedded in grille, plus those of a folder given with
//! `--documents`, looked up by the id and version a session pins.

use std::path::Path;

use grille_competence::{Catalogue, Problem, document};
use grille_scoring::embedded::{self, FileProblems};
use grille_scoring::session::{DocumentRef, SessionHeader};
use grille_scoring::{Blueprint, CaseStudy, GradingScheme, Rubric};

use super::files::{CliError, read_text};
use super::text::{tr, tr_with};
use super::validate::FileKind;

/// Every scheme, blueprint and rubric available, with where each came from.
pub(super) struct DocumentPool {
    schemes: Vec<GradingScheme>,
    blueprints: Vec<Blueprint>,
    rubrics: Vec<Rubric>,
    cases: Vec<CaseStudy>,
    /// Files of the documents folder left out because they are broken,
    /// each with why: a session that does not use them scores anyway.
    skipped: Vec<String>,
    /// (id, version) named by two files with different texts: a session
    /// that pins one of them cannot be scored.
    conflicts: Vec<(String, String)>,
}

/// The documents one session pins, found in the pool.
pub(super) struct PinnedDocuments<'a> {
    pub(super) scheme: &'a GradingScheme,
    pub(super) blueprint: &'a Blueprint,
    pub(super) rubrics: Vec<Rubric>,
    pub(super) cases: Vec<CaseStudy>,
}

impl DocumentPool {
    /// The embedded federal exam documents, plus every `*.json` scheme,
    /// blueprint and rubric of `folder`. A file of the folder with the same
    /// id and version as another document must be identical to it: two
    /// different texts under one version is exactly what versioning forbids.
    pub(super) fn load(catalogue: &Catalogue, folder: Option<&Path>) -> Result<DocumentPool, CliError> {
        let federal = embedded::federal_exam(catalogue).map_err(embedded_error)?;
        let mut pool = DocumentPool {
            schemes: vec![federal.scheme],
            blueprints: vec![federal.blueprint],
            rubrics: federal.rubrics,
            cases: embedded::example_cases(catalogue).map_err(embedded_error)?,
            skipped: Vec::new(),
            conflicts: Vec::new(),
        };
        let Some(folder) = folder else { return Ok(pool) };
        let entries =
            std::fs::read_dir(folder).map_err(|source| CliError::Read { path: folder.to_owned(), source })?;
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        paths.sort();
        for path in paths {
            // A broken file is named and left out: only the sessions that
            // pin what it should have held fail, at their pointers.
            if let Err(error) = pool.add_file(&path, catalogue) {
                pool.skipped.push(error.to_string());
            }
        }
        Ok(pool)
    }

    /// Prints a warning for each file left out, on standard error.
    pub(super) fn warn_skipped(&self) {
        for reason in &self.skipped {
            eprintln!("{}", tr_with("cli.documents.skipped", &[("reason", reason.clone())]));
        }
    }

    /// The embedded federal exam documents plus the exam documents `files`.
    pub(super) fn with_files(catalogue: &Catalogue, files: &[&Path]) -> Result<DocumentPool, CliError> {
        let mut pool = DocumentPool::load(catalogue, None)?;
        for path in files {
            pool.add_file(path, catalogue)?;
        }
        Ok(pool)
    }

    fn add_file(&mut self, path: &Path, catalogue: &Catalogue) -> Result<(), CliError> {
        let file = path.display().to_string();
        let invalid = |problems: Vec<Problem>| CliError::Invalid { file: file.clone(), problems };
        let text = read_text(path)?;
        let value = document::parse_json(&text).map_err(|problem| invalid(vec![problem]))?;
        let conflicts = &mut self.conflicts;
        let duplicate = |(id, version): (String, String)| {
            conflicts.push((id.clone(), version.clone()));
            invalid(vec![Problem::text(
                "/version",
                tr_with("cli.documents.duplicate", &[("id", id), ("version", version)]),
            )])
        };
        // The kind is told as `grille validate` tells it.
        match FileKind::detect(&value) {
            Some(FileKind::Case) => {
                let case = CaseStudy::from_json(&text, catalogue).map_err(invalid)?;
                add_versioned(&mut self.cases, case, |c| (&c.id, &c.version)).map_err(duplicate)?;
            }
            Some(FileKind::Blueprint) => {
                let blueprint = Blueprint::from_json(&text, catalogue).map_err(invalid)?;
                add_versioned(&mut self.blueprints, blueprint, |b| (&b.id, &b.version)).map_err(duplicate)?;
            }
            Some(FileKind::Rubric) => {
                let rubric = Rubric::from_json(&text, catalogue).map_err(invalid)?;
                add_versioned(&mut self.rubrics, rubric, |r| (&r.id, &r.version)).map_err(duplicate)?;
            }
            Some(FileKind::Scheme) => {
                let scheme = GradingScheme::from_json(&text).map_err(invalid)?;
                add_versioned(&mut self.schemes, scheme, |s| (&s.id, &s.version)).map_err(duplicate)?;
            }
            // Catalogues and sessions are not exam documents: a documents
            // folder may hold them too.
            Some(FileKind::Catalogue | FileKind::Session) => {}
            None => return Err(invalid(vec![Problem::text("", tr("cli.documents.unknown_kind"))])),
        }
        Ok(())
    }

    /// The documents `header` pins, or a problem for each one missing, at
    /// its pointer in the session file.
    pub(super) fn pinned(&self, header: &SessionHeader) -> Result<PinnedDocuments<'_>, Vec<Problem>> {
        let mut problems = Vec::new();
        let references =
            [("/scheme".to_owned(), &header.scheme), ("/blueprint".to_owned(), &header.blueprint)]
                .into_iter()
                .chain(header.rubrics.iter().enumerate().map(|(i, r)| (format!("/rubrics/{i}"), r)))
                .chain(header.cases.iter().enumerate().map(|(i, r)| (format!("/cases/{i}"), r)));
        for (pointer, reference) in references {
            if self.conflicts.iter().any(|(id, version)| *id == reference.id && *version == reference.version)
            {
                problems.push(Problem::text(
                    pointer,
                    tr_with(
                        "cli.documents.ambiguous",
                        &[("id", reference.id.clone()), ("version", reference.version.clone())],
                    ),
                ));
            }
        }
        let scheme = find(&self.schemes, &header.scheme, |s| (&s.id, &s.version));
        if scheme.is_none() {
            problems.push(missing(
                "/scheme",
                "cli.noun.scheme",
                &header.scheme,
                self.schemes.iter().map(|s| (&s.id, &s.version)),
            ));
        }
        let blueprint = find(&self.blueprints, &header.blueprint, |b| (&b.id, &b.version));
        if blueprint.is_none() {
            problems.push(missing(
                "/blueprint",
                "cli.noun.blueprint",
                &header.blueprint,
                self.blueprints.iter().map(|b| (&b.id, &b.version)),
            ));
        }
        let mut rubrics = Vec::new();
        for (index, reference) in header.rubrics.iter().enumerate() {
            match find(&self.rubrics, reference, |r| (&r.id, &r.version)) {
                Some(rubric) => rubrics.push(rubric.clone()),
                None => problems.push(missing(
                    &format!("/rubrics/{index}"),
                    "cli.noun.rubric",
                    reference,
                    self.rubrics.iter().filter(|r| r.id == reference.id).map(|r| (&r.id, &r.version)),
                )),
            }
        }
        let mut cases = Vec::new();
        for (index, reference) in header.cases.iter().enumerate() {
            match find(&self.cases, reference, |c| (&c.id, &c.version)) {
                Some(case) => cases.push(case.clone()),
                None => problems.push(missing(
                    &format!("/cases/{index}"),
                    "cli.noun.case",
                    reference,
                    self.cases.iter().filter(|c| c.id == reference.id).map(|c| (&c.id, &c.version)),
                )),
            }
        }
        if !problems.is_empty() && !self.skipped.is_empty() {
            problems.push(Problem::text(
                "",
                tr_with("cli.documents.skipped_hint", &[("files", self.skipped.len().to_string())]),
            ));
        }
        match (scheme, blueprint) {
            (Some(scheme), Some(blueprint)) if problems.is_empty() => {
                Ok(PinnedDocuments { scheme, blueprint, rubrics, cases })
            }
            _ => Err(problems),
        }
    }

    /// The blueprints available.
    pub(super) fn blueprints(&self) -> &[Blueprint] {
        &self.blueprints
    }

    /// The rubrics available.
    pub(super) fn rubrics(&self) -> &[Rubric] {
        &self.rubrics
    }

    /// The case studies available.
    pub(super) fn cases(&self) -> &[CaseStudy] {
        &self.cases
    }
}

/// Adds `document` unless an identical one with its id and version is
/// there already; the same id and version with another content is refused
/// with that (id, version).
fn add_versioned<T: PartialEq>(
    documents: &mut Vec<T>,
    document: T,
    key: impl Fn(&T) -> (&String, &String),
) -> Result<(), (String, String)> {
    let (id, version) = key(&document);
    match documents.iter().find(|existing| key(existing) == (id, version)) {
        Some(existing) if *existing != document => Err((id.clone(), version.clone())),
        Some(_) => Ok(()),
        None => {
            documents.push(document);
            Ok(())
        }
    }
}

fn find<'a, T>(
    items: &'a [T],
    reference: &DocumentRef,
    key: impl Fn(&T) -> (&String, &String),
) -> Option<&'a T> {
    items.iter().find(|item| {
        let (id, version) = key(item);
        *id == reference.id && *version == reference.version
    })
}

/// The problem of a pinned document not found; `what` is the catalogue key
/// of its kind (`cli.noun.*`).
fn missing<'a>(
    pointer: &str,
    what: &str,
    reference: &DocumentRef,
    available: impl Iterator<Item = (&'a String, &'a String)>,
) -> Problem {
    let available: Vec<String> = available
        .map(|(id, version)| {
            tr_with("cli.documents.available_item", &[("id", id.clone()), ("version", version.clone())])
        })
        .collect();
    let hint = if available.is_empty() {
        tr("cli.documents.add_folder")
    } else {
        tr_with("cli.documents.available", &[("documents", available.join(", "))])
    };
    Problem::text(
        pointer,
        tr_with(
            "cli.documents.missing",
            &[
                ("what", tr(what)),
                ("id", reference.id.clone()),
                ("version", reference.version.clone()),
                ("hint", hint),
            ],
        ),
    )
}

fn embedded_error(failures: Vec<FileProblems>) -> CliError {
    // Only reachable with a catalogue other than the embedded one: the
    // test suite keeps the embedded documents valid for it.
    let problems = failures
        .into_iter()
        .flat_map(|failure| {
            failure.problems.into_iter().map(move |p| {
                let message = tr_with(
                    "cli.documents.embedded_problem",
                    &[
                        ("path", failure.path.to_owned()),
                        ("message", grille_report::messages::render(&p.detail, super::text::language())),
                    ],
                );
                Problem::text(p.pointer, message)
            })
        })
        .collect();
    CliError::Invalid { file: tr("cli.source.embedded_documents"), problems }
}
