//! `grille score SESSION --what-if SCHEME.json` and `--weight PART=WEIGHT`:
//! every candidate scored twice, under the documents the session pins and
//! under the changed scheme or part weights, and the differences printed
//! (grades and decisions that would change, passes gained and lost).
//! Nothing is written anywhere: a board tries a pass rule, a rounding or a
//! weighting before adopting it for next year's scheme.
//!
//! The session is read through the explaining path (JSON Schema, checks):
//! a what-if is run by a person on one session, not on 50,000 candidates,
//! and a problem of the file is reported with its pointer as for `score`.

use std::path::Path;

use grille_competence::Problem;
use grille_scoring::decimal::display_rounded;
use grille_scoring::engine::{CandidateChange, GradeLevel, Outcome, WhatIf};
use grille_scoring::session::DocumentRef;
use grille_scoring::stream::walk;
use grille_scoring::{Blueprint, GradingScheme, Scorer, SessionDocuments, SessionLoader};
use rust_decimal::Decimal;

use super::documents::DocumentPool;
use super::files::{CliError, read_text};
use super::output::{Output, json_error};
use super::session_check::{Answers, candidates_pass, header_pass, scorer};
use super::text::{engine, tr, tr_with};

/// What the command line asks to change.
pub(super) struct Changes<'a> {
    /// A grading scheme file used instead of the pinned one.
    pub(super) scheme: Option<&'a Path>,
    /// `PART=WEIGHT` pairs replacing the blueprint's part weights.
    pub(super) weights: &'a [String],
}

/// How the differences are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WhatIfFormat {
    /// Readable: the counts, then one block per candidate that changes.
    Table,
    /// The [`WhatIf`] value.
    Json,
    /// One line per candidate that changes.
    Csv,
}

pub(super) fn run(
    session: &Path,
    text: &str,
    catalogue: &grille_competence::Catalogue,
    pool: &DocumentPool,
    changes: &Changes<'_>,
    format: WhatIfFormat,
) -> Result<(), CliError> {
    let file = session.display().to_string();
    let invalid = |problems: Vec<Problem>| CliError::Invalid { file: file.clone(), problems };
    let loader = SessionLoader::new();
    let mut problems = Vec::new();
    let pinned = header_pass(text, &loader, pool, &mut problems).map_err(|p| invalid(vec![p]))?;
    let mut real = scorer(catalogue, &pinned, &mut problems);
    candidates_pass(text, &loader, real.as_mut(), Answers::AsScored, &mut problems)
        .map_err(|p| invalid(vec![p]))?;
    let (Some(real), Some((header, pinned)), true) = (real, &pinned, problems.is_empty()) else {
        return Err(invalid(problems));
    };

    let scheme = match changes.scheme {
        Some(path) => load_scheme(path)?,
        None => pinned.scheme.clone(),
    };
    let blueprint = weighted(pinned.blueprint, changes.weights)?;
    let documents = SessionDocuments {
        catalogue,
        scheme: &scheme,
        blueprint: &blueprint,
        rubrics: &pinned.rubrics,
        cases: &pinned.cases,
    };
    let changed_file = changes.scheme.map_or_else(|| file.clone(), |path| path.display().to_string());
    // The simulated run pins the changed scheme, whatever its id and
    // version: a draft for next year is compared with this year's session.
    let mut changed_header = header.clone();
    changed_header.scheme = DocumentRef { id: scheme.id.clone(), version: scheme.version.clone() };
    let changed = Scorer::new(documents, changed_header)
        .map_err(|problems| CliError::Invalid { file: changed_file, problems })?;

    let mut what_if = WhatIf::new();
    let mut failure = None;
    walk(
        text,
        Some(&mut |index, value| {
            if failure.is_some() {
                return;
            }
            match loader.candidate(index, value) {
                Ok(candidate) => what_if.add(
                    &real.score_candidate_grades(&candidate),
                    &changed.score_candidate_grades(&candidate),
                ),
                Err(candidate_problems) => failure = Some(invalid(candidate_problems)),
            }
        }),
    )
    .map_err(|problem| invalid(vec![problem]))?;
    if let Some(error) = failure {
        return Err(error);
    }
    let mut out = Output::new();
    match format {
        WhatIfFormat::Table => print_table(&what_if, changes, &mut out)?,
        WhatIfFormat::Json => {
            serde_json::to_writer_pretty(out.writer(), &what_if).map_err(json_error)?;
            out.write("\n")?;
        }
        WhatIfFormat::Csv => print_csv(&what_if, &mut out)?,
    }
    out.finish()
}

/// The changed scheme, checked as `grille validate` checks one.
fn load_scheme(path: &Path) -> Result<GradingScheme, CliError> {
    let source = read_text(path)?;
    GradingScheme::from_json(&source)
        .map_err(|problems| CliError::Invalid { file: path.display().to_string(), problems })
}

/// The pinned blueprint with the part weights given as `PART=WEIGHT`.
fn weighted(blueprint: &Blueprint, weights: &[String]) -> Result<Blueprint, CliError> {
    let mut changed = blueprint.clone();
    let mut problems = Vec::new();
    for (index, pair) in weights.iter().enumerate() {
        let pointer = format!("/weight/{index}");
        let Some((part, weight)) = pair.split_once('=') else {
            problems
                .push(Problem::text(pointer, tr_with("cli.what_if.weight_form", &[("value", pair.clone())])));
            continue;
        };
        let weight = match weight.trim().parse::<Decimal>() {
            Ok(weight) if weight >= Decimal::ZERO && weight <= Decimal::from(1000) => weight,
            _ => {
                problems.push(Problem::text(
                    pointer,
                    tr_with(
                        "cli.what_if.weight_value",
                        &[("value", weight.to_owned()), ("part", part.to_owned())],
                    ),
                ));
                continue;
            }
        };
        match changed.parts.iter_mut().find(|each| each.id == part.trim()) {
            Some(each) => each.weight = weight,
            None => problems.push(Problem::text(
                pointer,
                tr_with(
                    "cli.what_if.weight_part",
                    &[
                        ("part", part.to_owned()),
                        (
                            "parts",
                            blueprint.parts.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", "),
                        ),
                    ],
                ),
            )),
        }
    }
    if problems.is_empty() {
        Ok(changed)
    } else {
        Err(CliError::Invalid { file: "--weight".to_owned(), problems })
    }
}

fn outcome_label(outcome: Outcome) -> String {
    tr(match outcome {
        Outcome::Passed => "cli.outcome.passed",
        Outcome::Failed => "cli.outcome.failed",
        Outcome::Pending => "cli.outcome.pending",
        Outcome::NoResult => "cli.outcome.no_result",
    })
}

fn grade(value: Option<Decimal>) -> String {
    value.map_or_else(|| "–".to_owned(), display_rounded)
}

fn print_table(what_if: &WhatIf, changes: &Changes<'_>, out: &mut Output) -> Result<(), CliError> {
    let mut changed = Vec::new();
    if let Some(path) = changes.scheme {
        changed.push(tr_with("cli.what_if.scheme", &[("file", path.display().to_string())]));
    }
    if !changes.weights.is_empty() {
        changed.push(tr_with("cli.what_if.weights", &[("weights", changes.weights.join(", "))]));
    }
    out.line(tr_with("cli.what_if.heading", &[("changes", changed.join(" ; "))]))?;
    out.line(tr_with(
        "cli.what_if.summary",
        &[
            ("candidates", what_if.candidates.to_string()),
            ("decisions", what_if.decisions_changed.to_string()),
            ("gained", what_if.passes_gained.to_string()),
            ("lost", what_if.passes_lost.to_string()),
            ("grades_only", what_if.grades_only.to_string()),
        ],
    ))?;
    if what_if.changes.is_empty() {
        return out.line(tr("cli.what_if.none"));
    }
    for change in &what_if.changes {
        out.line("")?;
        print_change(change, out)?;
    }
    Ok(())
}

fn print_change(change: &CandidateChange, out: &mut Output) -> Result<(), CliError> {
    let outcome = if change.decision_changes() {
        format!("{} → {}", outcome_label(change.outcome_before), outcome_label(change.outcome_after))
    } else {
        tr_with("cli.what_if.same_outcome", &[("outcome", outcome_label(change.outcome_after))])
    };
    out.line(tr_with(
        "cli.what_if.candidate",
        &[
            ("number", change.number.clone()),
            ("outcome", outcome),
            ("before", grade(change.overall_before)),
            ("after", grade(change.overall_after)),
        ],
    ))?;
    for each in &change.grades {
        let key = match each.level {
            GradeLevel::Part => "cli.what_if.part",
            GradeLevel::Position => "cli.what_if.position",
        };
        out.line(tr_with(
            key,
            &[("id", each.id.clone()), ("before", grade(each.before)), ("after", grade(each.after))],
        ))?;
    }
    if change.decision_before != change.decision_after {
        let before = engine(change.decision_before_message.as_ref(), &change.decision_before);
        let after = engine(change.decision_after_message.as_ref(), &change.decision_after);
        out.line(tr_with("cli.what_if.reason_before", &[("reason", before)]))?;
        out.line(tr_with("cli.what_if.reason_after", &[("reason", after)]))?;
    }
    Ok(())
}

/// One line per candidate that changes: grille-report's what-if CSV, the
/// same as the server's (`;` and a byte order mark, as the results CSV).
fn print_csv(what_if: &WhatIf, out: &mut Output) -> Result<(), CliError> {
    let bytes = grille_report::what_if::csv::what_if_csv(Vec::new(), what_if, super::text::language(), b';')
        .map_err(|error| CliError::Output(error.to_string()))?;
    out.write_bytes(&bytes)
}
