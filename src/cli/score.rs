//! `grille score SESSION_FILE`: scores a session and prints every
//! candidate's grades, decision and reasons, then the discrepancies still
//! open.
//!
//! A session is read straight into typed values, one candidate at a time
//! (`grille_scoring::stream::read_typed`): no JSON tree of the file, no
//! schema validation. Every candidate is checked before anything is
//! printed, so that a file with problems prints no partial result. Only
//! when that reading stops (the file does not deserialize, or has
//! problems) is the file read again through the JSON Schema and the checks
//! (`session_check`), which report every problem with its JSON pointer.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use grille_competence::{Catalogue, Problem};
use grille_report::results_csv::{CsvError, ResultsCsv};
use grille_scoring::calc::RoundingStep;
use grille_scoring::decimal::display_rounded;
use grille_scoring::engine::{CandidateResult, Comparison, DiscrepancyStatus, Outcome, PositionResult};
use grille_scoring::scheme::RoundingDirection;
use grille_scoring::stream::{read_header, read_typed, walk};
use grille_scoring::{Blueprint, Candidate, Scorer, SessionDocuments, SessionLoader, SessionSummary};
use serde::Serialize;

use super::batches;
use super::documents::DocumentPool;
use super::files::{CliError, load_catalogue, read_text};
use super::output::{Output, PrettyJson, wrap};
use super::session_check::{Answers, candidates_pass, header_pass, scorer};
use super::text::{engine, engine_list, tr, tr_with};
use super::what_if;

#[derive(Debug, Args)]
pub(super) struct ScoreArgs {
    /// Le fichier de session (candidat·e·s et évaluations des expert·e·s).
    session: PathBuf,
    /// Format de sortie.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Table)]
    format: ScoreFormat,
    /// Avec --format json : JSON compact, sans retours à la ligne ni
    /// indentation (mêmes valeurs).
    #[arg(long)]
    compact: bool,
    /// Dossier de barèmes, plans d'examen et grilles en plus de ceux de
    /// l'examen fédéral intégrés.
    #[arg(long, value_name = "DOSSIER")]
    documents: Option<PathBuf>,
    /// Fichier de catalogue à utiliser au lieu du catalogue intégré.
    #[arg(long, value_name = "FICHIER")]
    catalogue: Option<PathBuf>,
    /// Simulation : note chaque candidat·e aussi avec ce barème (règle de
    /// réussite, conversion, arrondis) et affiche seulement ce qui
    /// changerait. Rien n'est enregistré.
    #[arg(long = "what-if", value_name = "BAREME")]
    what_if: Option<PathBuf>,
    /// Simulation : le poids d'une épreuve, `EPREUVE=POIDS` (répétable),
    /// à la place de celui du plan d'examen. Rien n'est enregistré.
    #[arg(long = "weight", value_name = "EPREUVE=POIDS")]
    weights: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ScoreFormat {
    /// Lisible : un bloc par candidat·e.
    Table,
    /// JSON avec l'explication complète de chaque note.
    Json,
    /// Une ligne par candidat·e (notes d'épreuve, note globale, décision).
    Csv,
}

pub(super) fn run(args: ScoreArgs) -> Result<(), CliError> {
    let catalogue = load_catalogue(args.catalogue.as_deref())?;
    let pool = DocumentPool::load(&catalogue, args.documents.as_deref())?;
    pool.warn_skipped();
    let text = read_text(&args.session)?;
    if args.what_if.is_some() || !args.weights.is_empty() {
        let changes = what_if::Changes { scheme: args.what_if.as_deref(), weights: &args.weights };
        let format = match args.format {
            ScoreFormat::Table => what_if::WhatIfFormat::Table,
            ScoreFormat::Json => what_if::WhatIfFormat::Json,
            ScoreFormat::Csv => what_if::WhatIfFormat::Csv,
        };
        return what_if::run(&args.session, &text, &catalogue, &pool, &changes, format);
    }
    if score_typed(&args, &text, &catalogue, &pool)? {
        return Ok(());
    }
    score_explained(&args, &text, &catalogue, &pool)
}

/// The fast path: the header read first, then the candidates read in one
/// typed pass and checked and scored on every core ([`batches`]). For the
/// CSV, the lines are made while checking and printed once every candidate
/// is known to be whole; for the table and JSON, a first pass checks every
/// candidate and a second one scores and prints them. Returns `false`,
/// having printed nothing, when the file has a problem of any kind:
/// [`score_explained`] then reports them all.
fn score_typed(
    args: &ScoreArgs,
    text: &str,
    catalogue: &Catalogue,
    pool: &DocumentPool,
) -> Result<bool, CliError> {
    let loader = SessionLoader::new();
    let Ok(fields) = read_header(text) else { return Ok(false) };
    let Ok(header) = loader.header(fields) else { return Ok(false) };
    let Ok(pinned) = pool.pinned(&header) else { return Ok(false) };
    let documents = SessionDocuments {
        catalogue,
        scheme: pinned.scheme,
        blueprint: pinned.blueprint,
        rubrics: &pinned.rubrics,
        cases: &pinned.cases,
    };
    let Ok(scorer) = Scorer::new(documents, header.clone()) else { return Ok(false) };
    let workers = batches::workers();
    let language = super::text::language();
    if args.format == ScoreFormat::Csv {
        // The byte order mark and the column names, then every line.
        let mut rows = ResultsCsv::new(Vec::new(), pinned.blueprint, language)
            .and_then(ResultsCsv::finish)
            .map_err(csv_error)?;
        let mut progress = Progress::new(None);
        let read = batches::in_batches(
            text,
            workers,
            batches::SMALL_OUTPUT,
            || {
                ResultsCsv::new(Vec::new(), pinned.blueprint, language).and_then(|mut csv| {
                    // The header is written once, above.
                    csv.take_lines().map(|_| csv)
                })
            },
            |csv, first, candidates| {
                let csv = csv.as_mut().ok()?;
                for (offset, candidate) in candidates.iter().enumerate() {
                    // `check_candidate` includes the candidate's own checks.
                    if !scorer.check_candidate(first + offset, candidate).is_empty() {
                        return None;
                    }
                    csv.write(&scorer.score_candidate_grades(candidate)).ok()?;
                }
                Some((candidates.len(), csv.take_lines().ok()?))
            },
            |(count, lines)| {
                rows.extend_from_slice(&lines);
                progress.tick_by(count);
                true
            },
        );
        if read.is_err() {
            return Ok(false);
        }
        progress.finish();
        let mut out = Output::new();
        out.write_bytes(&rows)?;
        out.finish()?;
        return Ok(true);
    }
    // Every candidate checked before anything is printed.
    let checked = batches::in_batches(
        text,
        workers,
        batches::SMALL_OUTPUT,
        || (),
        |(), first, candidates| {
            let problems = candidates
                .iter()
                .enumerate()
                .any(|(offset, candidate)| !scorer.check_candidate(first + offset, candidate).is_empty());
            (!problems).then_some(())
        },
        |()| true,
    );
    let Ok(count) = checked else { return Ok(false) };
    if args.format == ScoreFormat::Json {
        let mut out = Output::new();
        write_json(&scorer, args.compact, &mut out, &mut |emit| {
            let read = batches::in_batches(
                text,
                workers,
                batches::LARGE_OUTPUT,
                || (),
                |(), first, candidates| {
                    let mut batch = JsonBatch::default();
                    for (offset, candidate) in candidates.iter().enumerate() {
                        batch.add(first + offset, &scorer.score_candidate(candidate), args.compact);
                    }
                    Some(batch)
                },
                &mut *emit,
            );
            read.map(|_| ()).map_err(|stopped| CliError::Output(format!("{stopped:?}")))
        })?;
        return out.finish().map(|()| true);
    }
    print(args, &scorer, pinned.blueprint, count, &mut |each| {
        read_typed(text, &mut |_| true, &mut |_, candidate| {
            each(candidate);
            true
        })
        .map(|_| ())
        .map_err(|stopped| CliError::Output(format!("{stopped:?}")))
    })?;
    Ok(true)
}

/// The explaining path, for a file the typed reading stopped at: the
/// header and every candidate through the JSON Schema and the checks, so
/// that every problem is reported with its pointer. A file whose problems
/// were only of form (e.g. a field written twice, which serde refuses and
/// a JSON tree keeps the last of) is scored from its JSON tree, candidate
/// by candidate.
fn score_explained(
    args: &ScoreArgs,
    text: &str,
    catalogue: &Catalogue,
    pool: &DocumentPool,
) -> Result<(), CliError> {
    let file = args.session.display().to_string();
    let invalid = |problems: Vec<Problem>| CliError::Invalid { file: file.clone(), problems };
    let loader = SessionLoader::new();
    // The header and the documents it pins, then every candidate checked
    // before anything is printed.
    let mut problems = Vec::new();
    let pinned = header_pass(text, &loader, pool, &mut problems).map_err(|p| invalid(vec![p]))?;
    let mut scorer = scorer(catalogue, &pinned, &mut problems);
    let count = candidates_pass(text, &loader, scorer.as_mut(), Answers::AsScored, &mut problems)
        .map_err(|p| invalid(vec![p]))?;
    let (Some(scorer), Some((_, pinned)), true) = (scorer, &pinned, problems.is_empty()) else {
        return Err(invalid(problems));
    };
    print(args, &scorer, pinned.blueprint, count, &mut |each| {
        let mut failure = None;
        walk(
            text,
            Some(&mut |index, value| {
                if failure.is_some() {
                    return;
                }
                match loader.candidate(index, value) {
                    Ok(candidate) => each(&candidate),
                    Err(candidate_problems) => failure = Some(invalid(candidate_problems)),
                }
            }),
        )
        .map_err(|problem| invalid(vec![problem]))?;
        failure.map_or(Ok(()), Err)
    })
}

/// Hands every candidate of the session, checked, to the function given.
type Candidates<'a> = dyn FnMut(&mut dyn FnMut(&Candidate)) -> Result<(), CliError> + 'a;

/// Prints the scored session in the format asked for, scoring the
/// candidates `candidates` hands over one by one.
fn print(
    args: &ScoreArgs,
    scorer: &Scorer<'_>,
    blueprint: &Blueprint,
    count: usize,
    candidates: &mut Candidates<'_>,
) -> Result<(), CliError> {
    let mut out = Output::new();
    match args.format {
        ScoreFormat::Table => {
            print_table_header(scorer, &args.session, &mut out)?;
            let mut summary = SessionSummary::default();
            let mut open = Vec::new();
            let mut progress = Progress::new(Some(count));
            let mut failure = None;
            candidates(&mut |candidate| {
                if failure.is_some() {
                    return;
                }
                let result = scorer.score_candidate(candidate);
                summary.add(&result);
                open.extend(open_discrepancies(&result));
                failure = print_candidate_table(&result, &mut out).err();
                progress.tick();
            })?;
            if let Some(error) = failure {
                return Err(error);
            }
            progress.finish();
            print_table_footer(scorer, &summary, &open, &mut out)?;
        }
        ScoreFormat::Json => {
            let mut index = 0;
            write_json(scorer, args.compact, &mut out, &mut |emit| {
                let mut stopped = false;
                candidates(&mut |candidate| {
                    if stopped {
                        return;
                    }
                    let mut batch = JsonBatch::default();
                    batch.add(index, &scorer.score_candidate(candidate), args.compact);
                    index += 1;
                    stopped = !emit(batch);
                })
            })?;
        }
        ScoreFormat::Csv => {
            // The same CSV as the server's export (grille-report's one
            // writer): `;`, a byte order mark, the reader's language.
            let mut rows =
                ResultsCsv::new(Vec::new(), blueprint, super::text::language()).map_err(csv_error)?;
            let mut failure = None;
            candidates(&mut |candidate| {
                if failure.is_none() {
                    let grades = scorer.score_candidate_grades(candidate);
                    failure = rows.write(&grades).err();
                }
            })?;
            if let Some(error) = failure {
                return Err(csv_error(error));
            }
            out.write_bytes(&rows.finish().map_err(csv_error)?)?;
        }
    }
    out.finish()
}

/// Candidates' results written as elements of the JSON `candidates`
/// array (by a worker thread, or one by one), with what the end of the
/// document needs from them.
#[derive(Default)]
struct JsonBatch {
    bytes: Vec<u8>,
    count: usize,
    summary: SessionSummary,
    open: Vec<String>,
    /// The first result that could not be written.
    failure: Option<String>,
}

impl JsonBatch {
    /// Adds the result of the candidate at `index` of the session: its
    /// element of the array, preceded by the comma and line break that
    /// serde_json writes before it.
    fn add(&mut self, index: usize, result: &CandidateResult, compact: bool) {
        if self.failure.is_some() {
            return;
        }
        self.count += 1;
        self.summary.add(result);
        self.open.extend(open_discrepancies(result));
        if index > 0 {
            self.bytes.push(b',');
        }
        let written = if compact {
            result.serialize(&mut serde_json::Serializer::new(&mut self.bytes))
        } else {
            self.bytes.extend_from_slice(b"\n    ");
            // Inside the document's object and its `candidates` array.
            result.serialize(&mut serde_json::Serializer::with_formatter(
                &mut self.bytes,
                PrettyJson::at_depth(2),
            ))
        };
        if let Err(error) = written {
            self.failure = Some(error.to_string());
        }
    }
}

/// Hands over batches of written candidates to the function given (which
/// returns `false` to stop).
type JsonCandidates<'a> = dyn FnMut(&mut dyn FnMut(JsonBatch) -> bool) -> Result<(), CliError> + 'a;

/// Writes the whole JSON document, as serde_json writes a `SessionResult`
/// followed by the summary and the open discrepancies (pretty, or compact
/// with `compact`): the fields before the candidates, then the candidates'
/// elements as `candidates` hands them over, each batch written as it
/// comes so that no list of results is held, then the counts.
fn write_json(
    scorer: &Scorer<'_>,
    compact: bool,
    out: &mut Output,
    candidates: &mut JsonCandidates<'_>,
) -> Result<(), CliError> {
    let header = scorer.header();
    let field = |out: &mut Output, first: bool, key: &str, value: &dyn erased::Value| {
        let separator = match (first, compact) {
            (true, true) => "",
            (false, true) => ",",
            (true, false) => "\n  ",
            (false, false) => ",\n  ",
        };
        out.write(separator)?;
        out.write(&format!("\"{key}\":{}", if compact { "" } else { " " }))?;
        value.write(out, compact)
    };
    out.write("{")?;
    field(out, true, "session", &header.id)?;
    field(out, false, "scheme", &header.scheme)?;
    field(out, false, "blueprint", &header.blueprint)?;
    field(out, false, "rubrics", &header.rubrics)?;
    field(out, false, "assumptions", &scorer.assumptions())?;
    out.write(if compact { ",\"candidates\":[" } else { ",\n  \"candidates\": [" })?;
    let mut summary = SessionSummary::default();
    let mut open = Vec::new();
    let mut written = 0;
    let mut failure = None;
    candidates(&mut |batch| {
        if let Some(error) = batch.failure {
            failure = Some(CliError::Output(error));
            return false;
        }
        if let Err(error) = out.write_bytes(&batch.bytes) {
            failure = Some(error);
            return false;
        }
        written += batch.count;
        summary.merge(&batch.summary);
        open.extend(batch.open);
        true
    })?;
    if let Some(error) = failure {
        return Err(error);
    }
    out.write(if written > 0 && !compact { "\n  ]" } else { "]" })?;
    field(out, false, "summary", &summary)?;
    field(out, false, "open_discrepancies", &open)?;
    out.write(if compact { "}\n" } else { "\n}\n" })
}

/// A value of the JSON document's frame, written at its place.
mod erased {
    use serde::Serialize;

    use super::super::output::{Output, PrettyJson, json_error};
    use super::CliError;

    pub(super) trait Value {
        /// Writes the value as a field of the document's top-level object.
        fn write(&self, out: &mut Output, compact: bool) -> Result<(), CliError>;
    }

    impl<T: Serialize> Value for T {
        fn write(&self, out: &mut Output, compact: bool) -> Result<(), CliError> {
            let written = if compact {
                self.serialize(&mut serde_json::Serializer::new(out.writer()))
            } else {
                self.serialize(&mut serde_json::Serializer::with_formatter(
                    out.writer(),
                    PrettyJson::at_depth(1),
                ))
            };
            written.map_err(json_error)
        }
    }
}

/// "candidate number, position, grades" of each discrepancy still open.
fn open_discrepancies(result: &CandidateResult) -> Vec<String> {
    let mut lines = Vec::new();
    for part in &result.parts {
        for position in &part.positions {
            let Some(comparison) = &position.comparison else { continue };
            if comparison.status != DiscrepancyStatus::Open {
                continue;
            }
            let grades = examiner_grades(comparison);
            let flags: Vec<String> =
                comparison.flags.iter().map(|f| engine(f.detail.as_ref(), &f.message)).collect();
            let mut line = tr_with(
                "cli.score.open_line",
                &[
                    ("number", result.number.clone()),
                    ("position", position.position.clone()),
                    ("grades", grades.join(", ")),
                ],
            );
            if !flags.is_empty() {
                line.push_str(&format!(" ({})", flags.join(&tr("engine.separator.semicolon"))));
            }
            lines.push(line);
        }
    }
    lines
}

/// "examiner grade" of each examiner of a double marking.
fn examiner_grades(comparison: &Comparison) -> Vec<String> {
    comparison
        .grades
        .iter()
        .map(|g| {
            format!("{} {}", g.examiner, g.grade.map_or_else(|| tr("cli.score.incomplete"), display_rounded))
        })
        .collect()
}

fn outcome_label(outcome: Outcome) -> String {
    tr(match outcome {
        Outcome::Passed => "cli.outcome.passed",
        Outcome::Failed => "cli.outcome.failed",
        Outcome::Pending => "cli.outcome.pending",
        Outcome::NoResult => "cli.outcome.no_result",
    })
}

fn print_table_header(scorer: &Scorer<'_>, path: &Path, out: &mut Output) -> Result<(), CliError> {
    let header = scorer.header();
    let title = header.title.as_ref().map(|t| format!(" — {}", t.fr)).unwrap_or_default();
    out.line(tr_with("cli.score.session", &[("id", header.id.clone()), ("title", title)]))?;
    out.line(tr_with(
        "cli.score.documents",
        &[
            ("scheme", header.scheme.id.clone()),
            ("scheme_version", header.scheme.version.clone()),
            ("blueprint", header.blueprint.id.clone()),
            ("blueprint_version", header.blueprint.version.clone()),
            ("file", path.display().to_string()),
        ],
    ))
}

fn print_table_footer(
    scorer: &Scorer<'_>,
    summary: &SessionSummary,
    open: &[String],
    out: &mut Output,
) -> Result<(), CliError> {
    out.line("")?;
    out.line(tr_with(
        "cli.score.summary",
        &[
            ("candidates", summary.candidates.to_string()),
            ("passed", summary.passed.to_string()),
            ("failed", summary.failed.to_string()),
            ("pending", summary.pending.to_string()),
            ("no_result", summary.no_result.to_string()),
        ],
    ))?;
    if open.is_empty() {
        out.line(tr("cli.score.no_open"))?;
    } else {
        out.line(tr_with("cli.score.open_heading", &[("count", open.len().to_string())]))?;
        for line in open {
            out.line(format!("  {line}"))?;
        }
    }
    // In the run's language where the documents' translation notes give
    // them (the JSON output keeps the French of `assumptions`).
    let assumptions = scorer.assumptions_in(super::text::language().code());
    if !assumptions.is_empty() {
        out.line(tr_with("cli.score.assumptions", &[("count", assumptions.len().to_string())]))?;
        for assumption in &assumptions {
            // A bullet on the first line, continuation lines indented.
            let wrapped = wrap(assumption, 100, "    ");
            out.line(format!("  - {}", wrapped.trim_start()))?;
        }
    }
    Ok(())
}

/// A CSV that could not be written, as the command line says it.
fn csv_error(error: CsvError) -> CliError {
    CliError::Output(error.to_string())
}

fn print_candidate_table(result: &CandidateResult, out: &mut Output) -> Result<(), CliError> {
    out.line("")?;
    let overall = result
        .overall
        .as_ref()
        .map(|o| tr_with("cli.score.candidate_overall", &[("grade", display_rounded(o.value))]));
    out.line(tr_with(
        "cli.score.candidate",
        &[
            ("number", result.number.clone()),
            ("outcome", outcome_label(result.outcome)),
            ("overall", overall.unwrap_or_default()),
        ],
    ))?;
    for part in &result.parts {
        let grade = part.grade.map_or("—".to_owned(), display_rounded);
        let line = tr_with(
            "cli.score.part",
            &[
                ("part", format!("{:<4}", part.part)),
                ("title", format!("{:<62}", truncate(&part.title, 62))),
                ("grade", format!("{grade:>4}")),
            ],
        );
        out.line(format!("  {line}"))?;
        if let Some(carried) = &part.carried {
            let carried = engine(part.carried_message.as_ref(), carried);
            out.line(format!("        {}", tr_with("cli.score.carried", &[("carried", carried)])))?;
        }
        if let Some(calculation) = &part.calculation
            && part.positions.len() > 1
        {
            out.line(format!(
                "        {} = {} → {}",
                calculation.formula,
                exact(calculation.unrounded),
                rounded(calculation.value, &calculation.rounding)
            ))?;
        }
        for position in &part.positions {
            print_position(position, out)?;
        }
        for reason in engine_list(&part.pending_messages, &part.pending) {
            out.line(format!("        {}", tr_with("cli.score.pending", &[("reason", reason)])))?;
        }
    }
    if let Some(overall) = &result.overall {
        let line = tr_with(
            "cli.score.overall",
            &[
                ("formula", overall.formula.clone()),
                ("unrounded", exact(overall.unrounded)),
                ("grade", rounded(overall.value, &overall.rounding)),
            ],
        );
        out.line(format!("  {line}"))?;
    }
    for condition in &result.conditions {
        let mark = if condition.satisfied { "✓" } else { "✗" };
        out.line(format!(
            "  {mark} {}",
            engine(condition.explanation_message.as_ref(), &condition.explanation)
        ))?;
    }
    let decision = engine(result.decision_message.as_ref(), &result.decision);
    out.line(format!("  {}", tr_with("cli.score.decision", &[("decision", decision)])))?;
    for reason in engine_list(&result.pending_messages, &result.pending) {
        out.line(format!("  {}", tr_with("cli.score.candidate_pending", &[("reason", reason)])))?;
    }
    for warning in engine_list(&result.warning_messages, &result.warnings) {
        out.line(format!("  {}", tr_with("cli.score.warning", &[("warning", warning)])))?;
    }
    Ok(())
}

fn print_position(position: &PositionResult, out: &mut Output) -> Result<(), CliError> {
    let grade = position.grade.map_or("—".to_owned(), display_rounded);
    let official =
        position.agreed.as_ref().or(position.evaluations.first()).filter(|_| position.grade.is_some());
    let points = official
        .map(|evaluation| {
            tr_with(
                "cli.score.points",
                &[
                    ("points", evaluation.points.normalize().to_string()),
                    ("max", evaluation.max_points.normalize().to_string()),
                ],
            )
        })
        .unwrap_or_default();
    out.line(format!(
        "    {:<6} {:<54} {points:>11} {grade:>4}",
        position.position,
        truncate(&position.title, 54)
    ))?;
    if let Some(case) = &position.case {
        let line = tr_with(
            "cli.score.case",
            &[("id", case.id.clone()), ("version", case.version.clone()), ("title", case.title.clone())],
        );
        out.line(format!("           {line}"))?;
        for excluded in &case.not_assessed {
            let line = tr_with(
                "cli.score.case_not_assessed",
                &[("criterion", excluded.criterion.clone()), ("reason", excluded.reason.clone())],
            );
            out.line(format!("           {line}"))?;
        }
    }
    if let Some(comparison) = &position.comparison
        && (!comparison.identical || !comparison.flags.is_empty())
    {
        let grades = examiner_grades(comparison);
        let status = match comparison.status {
            DiscrepancyStatus::None => String::new(),
            DiscrepancyStatus::Agreed => format!(" — {}", tr("cli.score.agreed")),
            DiscrepancyStatus::Open => format!(" — {}", tr("cli.score.open")),
        };
        let line = tr_with("cli.score.examiners", &[("grades", grades.join(", ")), ("status", status)]);
        out.line(format!("           {line}"))?;
        for flag in &comparison.flags {
            out.line(format!("           ⚑ {}", engine(flag.detail.as_ref(), &flag.message)))?;
        }
    }
    // The arithmetic of the official evaluation: points → position grade.
    if let Some(explained) = official.and_then(|evaluation| evaluation.grade.as_ref()) {
        let line = tr_with(
            "cli.score.arithmetic",
            &[
                ("formula", explained.formula.clone()),
                ("unrounded", exact(explained.unrounded)),
                ("grade", rounded(explained.grade, &explained.rounding)),
            ],
        );
        out.line(format!("           {line}"))?;
    }
    if let Some(source) = &position.grade_source {
        let source = engine(position.grade_source_message.as_ref(), source);
        out.line(format!("           {}", tr_with("cli.score.source", &[("source", source)])))?;
    }
    for reason in engine_list(&position.pending_messages, &position.pending) {
        out.line(format!("           {}", tr_with("cli.score.pending", &[("reason", reason)])))?;
    }
    Ok(())
}

/// A rounded grade at the end of its calculation; a rounding other than
/// half up (the convention) is named after it: "5.3 (arrondi au dixième
/// supérieur)".
fn rounded(grade: rust_decimal::Decimal, rounding: &RoundingStep) -> String {
    match rounding.direction {
        RoundingDirection::HalfUp => display_rounded(grade),
        RoundingDirection::Up | RoundingDirection::Down => {
            format!("{} ({})", display_rounded(grade), engine(Some(&rounding.rule_message()), &rounding.rule))
        }
    }
}

/// An exact decimal for reading: up to four decimals as they are, longer
/// ones cut (never rounded, which could cross a rounding boundary) and
/// marked with an ellipsis. The JSON output keeps every digit.
fn exact(value: rust_decimal::Decimal) -> String {
    let value = value.normalize();
    if value.scale() <= 4 { value.to_string() } else { format!("{}…", value.trunc_with_scale(4)) }
}

/// `text` cut to `width` characters at a word boundary, with an ellipsis.
fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut = String::new();
    for word in text.split_whitespace() {
        let next = if cut.is_empty() {
            word.chars().count()
        } else {
            cut.chars().count() + 1 + word.chars().count()
        };
        if next > width - 1 {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    if cut.is_empty() {
        cut = text.chars().take(width - 1).collect();
    }
    cut.push('…');
    cut
}

/// A progress line on stderr, only when stderr is a terminal and the
/// session is large enough for it to matter. Without a known total (while
/// a session is first read) it counts the candidates.
struct Progress {
    total: Option<usize>,
    done: usize,
    terminal: bool,
    label: String,
}

impl Progress {
    fn new(total: Option<usize>) -> Progress {
        Progress {
            total,
            done: 0,
            terminal: total.is_none_or(|total| total >= 200) && std::io::stderr().is_terminal(),
            label: tr("cli.score.progress"),
        }
    }

    fn visible(&self) -> bool {
        self.terminal && (self.total.is_some() || self.done >= 200)
    }

    /// Counts `count` more candidates.
    fn tick_by(&mut self, count: usize) {
        for _ in 0..count {
            self.tick();
        }
    }

    fn tick(&mut self) {
        self.done += 1;
        let Some(total) = self.total else {
            if self.visible() && self.done.is_multiple_of(100) {
                eprint!("\r{} {}", self.label, self.done);
            }
            return;
        };
        if self.visible() && (self.done.is_multiple_of(100) || self.done == total) {
            let width = 30;
            let filled = self.done * width / total.max(1);
            eprint!(
                "\r{} [{}{}] {}/{}",
                self.label,
                "#".repeat(filled),
                " ".repeat(width - filled),
                self.done,
                total
            );
        }
    }

    fn finish(&self) {
        if self.visible() {
            eprintln!();
        }
    }
}
