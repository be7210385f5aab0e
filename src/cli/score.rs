//! `grille score SESSION_FILE`: scores a session and prints every
//! candidate's grades, decision and reasons as soon as they are computed,
//! then the discrepancies still open.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use grille_competence::Problem;
use grille_scoring::decimal::display_grade;
use grille_scoring::engine::{CandidateResult, Comparison, DiscrepancyStatus, Outcome, PositionResult};
use grille_scoring::stream::walk;
use grille_scoring::{Blueprint, Scorer, SessionLoader, SessionSummary};

use super::documents::DocumentPool;
use super::files::{CliError, load_catalogue, read_text};
use super::output::{Output, wrap};
use super::session_check::{Answers, candidates_pass, header_pass, scorer};
use super::text::{tr, tr_with};

#[derive(Debug, Args)]
pub(super) struct ScoreArgs {
    /// Le fichier de session (candidat·e·s et évaluations des expert·e·s).
    session: PathBuf,
    /// Format de sortie.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Table)]
    format: ScoreFormat,
    /// Dossier de barèmes, plans d'examen et grilles en plus de ceux de
    /// l'examen fédéral intégrés.
    #[arg(long, value_name = "DOSSIER")]
    documents: Option<PathBuf>,
    /// Fichier de catalogue à utiliser au lieu du catalogue intégré.
    #[arg(long, value_name = "FICHIER")]
    catalogue: Option<PathBuf>,
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
    let file = args.session.display().to_string();
    let invalid = |problems: Vec<Problem>| CliError::Invalid { file: file.clone(), problems };

    let text = read_text(&args.session)?;
    let loader = SessionLoader::new();

    // Pass 1: the header and the documents it pins; pass 2: every
    // candidate checked before anything is printed, so that a file with
    // problems reports all of them and no partial result.
    let mut problems = Vec::new();
    let pinned = header_pass(&text, &loader, &pool, &mut problems).map_err(|p| invalid(vec![p]))?;
    let mut scorer = scorer(&catalogue, &pinned, &mut problems);
    let count = candidates_pass(&text, &loader, scorer.as_mut(), Answers::AsScored, &mut problems)
        .map_err(|p| invalid(vec![p]))?;
    let (Some(scorer), Some((_, pinned)), true) = (scorer, &pinned, problems.is_empty()) else {
        return Err(invalid(problems));
    };

    // Pass 3: score and print each candidate as soon as it is read.
    let mut out = Output::new();
    let mut printer = Printer::new(args.format, &scorer, pinned.blueprint, &args.session, &mut out)?;
    let mut summary = SessionSummary::default();
    let mut open = Vec::new();
    let mut progress = Progress::new(count);
    let mut failure = None;
    walk(
        &text,
        Some(&mut |index, value| {
            if failure.is_some() {
                return;
            }
            let candidate = match loader.candidate(index, value) {
                Ok(candidate) => candidate,
                Err(candidate_problems) => {
                    failure = Some(invalid(candidate_problems));
                    return;
                }
            };
            let result = scorer.score_candidate(&candidate);
            summary.add(&result);
            open.extend(open_discrepancies(&result));
            if let Err(error) = printer.candidate(&result, &mut out) {
                failure = Some(error);
            }
            progress.tick();
        }),
    )
    .map_err(|problem| invalid(vec![problem]))?;
    if let Some(error) = failure {
        return Err(error);
    }
    progress.finish();
    printer.finish(&scorer, &summary, &open, &mut out)?;
    out.finish()
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
            let flags: Vec<&str> = comparison.flags.iter().map(|f| f.message.as_str()).collect();
            let mut line = tr_with(
                "cli.score.open_line",
                &[
                    ("number", result.number.clone()),
                    ("position", position.position.clone()),
                    ("grades", grades.join(", ")),
                ],
            );
            if !flags.is_empty() {
                line.push_str(&format!(" ({})", flags.join(" ; ")));
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
            format!("{} {}", g.examiner, g.grade.map_or_else(|| tr("cli.score.incomplete"), display_grade))
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

fn outcome_key(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "passed",
        Outcome::Failed => "failed",
        Outcome::Pending => "pending",
        Outcome::NoResult => "no_result",
    }
}

enum Printer {
    Table,
    /// Whether a candidate was already written (for the commas).
    Json {
        first: bool,
    },
    Csv {
        parts: Vec<String>,
    },
}

impl Printer {
    fn new(
        format: ScoreFormat,
        scorer: &Scorer<'_>,
        blueprint: &Blueprint,
        path: &Path,
        out: &mut Output,
    ) -> Result<Printer, CliError> {
        let header = scorer.header();
        match format {
            ScoreFormat::Table => {
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
                ))?;
                Ok(Printer::Table)
            }
            ScoreFormat::Json => {
                // The opening of a `SessionResult` object; candidates follow
                // one by one so that nothing waits for the whole session.
                let json = |value: &dyn erased::Json| value.to_json();
                out.write(&format!(
                    "{{\n  \"session\": {},\n  \"scheme\": {},\n  \"blueprint\": {},\n  \"rubrics\": {},\n  \"assumptions\": {},\n  \"candidates\": [",
                    json(&header.id),
                    json(&header.scheme),
                    json(&header.blueprint),
                    json(&header.rubrics),
                    json(&scorer.assumptions()),
                ))?;
                Ok(Printer::Json { first: true })
            }
            ScoreFormat::Csv => {
                let parts = blueprint.parts.iter().map(|part| part.id.clone()).collect::<Vec<_>>();
                let mut columns = vec!["candidate".to_owned(), "status".to_owned(), "attempt".to_owned()];
                columns.extend(parts.iter().map(|id| format!("part_{id}")));
                columns.extend(
                    ["overall", "outcome", "decision", "pending", "open_discrepancies"].map(str::to_owned),
                );
                out.write(&csv_line(&columns)?)?;
                Ok(Printer::Csv { parts })
            }
        }
    }

    fn candidate(&mut self, result: &CandidateResult, out: &mut Output) -> Result<(), CliError> {
        match self {
            Printer::Table => print_candidate_table(result, out),
            Printer::Json { first } => {
                let separator = if *first { "\n" } else { ",\n" };
                *first = false;
                let body =
                    serde_json::to_string_pretty(result).map_err(|e| CliError::Output(e.to_string()))?;
                out.write(separator)?;
                out.write(&indent(&body, "    "))
            }
            Printer::Csv { parts } => {
                let mut row = vec![
                    result.number.clone(),
                    serde_json::to_value(result.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    result.attempt.to_string(),
                ];
                for id in parts.iter() {
                    let grade = result.parts.iter().find(|p| &p.part == id).and_then(|p| p.grade);
                    row.push(grade.map(display_grade).unwrap_or_default());
                }
                row.push(result.overall.as_ref().map(|o| display_grade(o.value)).unwrap_or_default());
                row.push(outcome_key(result.outcome).to_owned());
                row.push(result.decision.clone());
                row.push(result.pending.join(" ; "));
                row.push(open_discrepancies(result).len().to_string());
                out.write(&csv_line(&row)?)
            }
        }
    }

    fn finish(
        &self,
        scorer: &Scorer<'_>,
        summary: &SessionSummary,
        open: &[String],
        out: &mut Output,
    ) -> Result<(), CliError> {
        match self {
            Printer::Table => {
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
                let assumptions = scorer.assumptions();
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
            Printer::Json { .. } => {
                let summary =
                    serde_json::to_string_pretty(summary).map_err(|e| CliError::Output(e.to_string()))?;
                let open = serde_json::to_string(open).map_err(|e| CliError::Output(e.to_string()))?;
                out.write(&format!(
                    "\n  ],\n  \"summary\": {},\n  \"open_discrepancies\": {open}\n}}\n",
                    indent(&summary, "  ").trim_start()
                ))
            }
            Printer::Csv { .. } => Ok(()),
        }
    }
}

fn print_candidate_table(result: &CandidateResult, out: &mut Output) -> Result<(), CliError> {
    out.line("")?;
    let overall = result
        .overall
        .as_ref()
        .map(|o| tr_with("cli.score.candidate_overall", &[("grade", display_grade(o.value))]));
    out.line(tr_with(
        "cli.score.candidate",
        &[
            ("number", result.number.clone()),
            ("outcome", outcome_label(result.outcome)),
            ("overall", overall.unwrap_or_default()),
        ],
    ))?;
    for part in &result.parts {
        let grade = part.grade.map_or("—".to_owned(), display_grade);
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
            out.line(format!("        {}", tr_with("cli.score.carried", &[("carried", carried.clone())])))?;
        }
        if let Some(calculation) = &part.calculation
            && part.positions.len() > 1
        {
            out.line(format!(
                "        {} = {} → {}",
                calculation.formula,
                exact(calculation.unrounded),
                display_grade(calculation.value)
            ))?;
        }
        for position in &part.positions {
            print_position(position, out)?;
        }
        for reason in &part.pending {
            out.line(format!("        {}", tr_with("cli.score.pending", &[("reason", reason.clone())])))?;
        }
    }
    if let Some(overall) = &result.overall {
        let line = tr_with(
            "cli.score.overall",
            &[
                ("formula", overall.formula.clone()),
                ("unrounded", exact(overall.unrounded)),
                ("grade", display_grade(overall.value)),
            ],
        );
        out.line(format!("  {line}"))?;
    }
    for condition in &result.conditions {
        let mark = if condition.satisfied { "✓" } else { "✗" };
        out.line(format!("  {mark} {}", condition.explanation))?;
    }
    out.line(format!("  {}", tr_with("cli.score.decision", &[("decision", result.decision.clone())])))?;
    for reason in &result.pending {
        out.line(format!("  {}", tr_with("cli.score.candidate_pending", &[("reason", reason.clone())])))?;
    }
    Ok(())
}

fn print_position(position: &PositionResult, out: &mut Output) -> Result<(), CliError> {
    let grade = position.grade.map_or("—".to_owned(), display_grade);
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
            out.line(format!("           ⚑ {}", flag.message))?;
        }
    }
    // The arithmetic of the official evaluation: points → position grade.
    if let Some(explained) = official.and_then(|evaluation| evaluation.grade.as_ref()) {
        let line = tr_with(
            "cli.score.arithmetic",
            &[
                ("formula", explained.formula.clone()),
                ("unrounded", exact(explained.unrounded)),
                ("grade", display_grade(explained.grade)),
            ],
        );
        out.line(format!("           {line}"))?;
    }
    if let Some(source) = &position.grade_source {
        out.line(format!("           {}", tr_with("cli.score.source", &[("source", source.clone())])))?;
    }
    for reason in &position.pending {
        out.line(format!("           {}", tr_with("cli.score.pending", &[("reason", reason.clone())])))?;
    }
    Ok(())
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

fn indent(text: &str, prefix: &str) -> String {
    text.lines().map(|line| format!("{prefix}{line}")).collect::<Vec<_>>().join("\n")
}

fn csv_line(fields: &[String]) -> Result<String, CliError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(fields).map_err(|e| CliError::Output(e.to_string()))?;
    let bytes = writer.into_inner().map_err(|e| CliError::Output(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| CliError::Output(e.to_string()))
}

/// A progress line on stderr, only when stderr is a terminal and the
/// session is large enough for it to matter.
struct Progress {
    total: usize,
    done: usize,
    visible: bool,
    label: String,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            total,
            done: 0,
            visible: total >= 200 && std::io::stderr().is_terminal(),
            label: tr("cli.score.progress"),
        }
    }

    fn tick(&mut self) {
        self.done += 1;
        if self.visible && (self.done.is_multiple_of(100) || self.done == self.total) {
            let width = 30;
            let filled = self.done * width / self.total.max(1);
            eprint!(
                "\r{} [{}{}] {}/{}",
                self.label,
                "#".repeat(filled),
                " ".repeat(width - filled),
                self.done,
                self.total
            );
        }
    }

    fn finish(&self) {
        if self.visible {
            eprintln!();
        }
    }
}

/// Serialising heterogeneous header values with one closure.
mod erased {
    pub(super) trait Json {
        fn to_json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> String {
            serde_json::to_string(self).unwrap_or_else(|_| "null".to_owned())
        }
    }
}
