//! `grille score SESSION_FILE`: scores a session and prints every
//! candidate's grades, decision and reasons as soon as they are computed,
//! then the discrepancies still open.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use grille_competence::Problem;
use grille_scoring::decimal::display_grade;
use grille_scoring::engine::{CandidateResult, DiscrepancyStatus, Outcome, PositionResult};
use grille_scoring::stream::walk;
use grille_scoring::{Blueprint, Scorer, SessionLoader, SessionSummary};

use super::documents::DocumentPool;
use super::files::{CliError, load_catalogue, read_text};
use super::output::Output;
use super::session_check::{candidates_pass, header_pass, scorer};

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
    let count =
        candidates_pass(&text, &loader, scorer.as_mut(), &mut problems).map_err(|p| invalid(vec![p]))?;
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
            let grades: Vec<String> = comparison
                .grades
                .iter()
                .map(|g| format!("{} {}", g.examiner, g.grade.map_or("incomplète".to_owned(), display_grade)))
                .collect();
            let flags: Vec<&str> = comparison.flags.iter().map(|f| f.message.as_str()).collect();
            let mut line = format!("{} · {} : {}", result.number, position.position, grades.join(", "));
            if !flags.is_empty() {
                line.push_str(&format!(" ({})", flags.join(" ; ")));
            }
            lines.push(line);
        }
    }
    lines
}

fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "réussi",
        Outcome::Failed => "échoué",
        Outcome::Pending => "en attente",
        Outcome::NoResult => "sans résultat",
    }
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
                out.line(format!("Session {}{title}", header.id))?;
                out.line(format!(
                    "Barème {} ({}), plan d'examen {} ({}), fichier {}",
                    header.scheme.id,
                    header.scheme.version,
                    header.blueprint.id,
                    header.blueprint.version,
                    path.display()
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
                out.line(format!(
                    "{} candidat·e·s : {} réussi, {} échoué, {} en attente, {} sans résultat",
                    summary.candidates, summary.passed, summary.failed, summary.pending, summary.no_result
                ))?;
                if open.is_empty() {
                    out.line("Aucune divergence ouverte entre expert·e·s.")?;
                } else {
                    out.line(format!("Divergences ouvertes ({}) :", open.len()))?;
                    for line in open {
                        out.line(format!("  {line}"))?;
                    }
                }
                let assumptions = scorer.assumptions();
                if !assumptions.is_empty() {
                    out.line(format!(
                        "Hypothèses à confirmer dans le règlement d'examen : {} (voir le barème et le plan d'examen).",
                        assumptions.len()
                    ))?;
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
    let overall = result.overall.as_ref().map(|o| format!(", note globale {}", display_grade(o.value)));
    out.line(format!(
        "Candidat·e {} — {}{}",
        result.number,
        outcome_label(result.outcome),
        overall.unwrap_or_default()
    ))?;
    for part in &result.parts {
        let grade = part.grade.map_or("—".to_owned(), display_grade);
        out.line(format!("  Épreuve {:<4} {:<62} {grade:>4}", part.part, truncate(&part.title, 62)))?;
        if let Some(carried) = &part.carried {
            out.line(format!("        reprise : {carried}"))?;
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
            out.line(format!("        en attente : {reason}"))?;
        }
    }
    if let Some(overall) = &result.overall {
        out.line(format!(
            "  Note globale : {} = {} → {}",
            overall.formula,
            exact(overall.unrounded),
            display_grade(overall.value)
        ))?;
    }
    for condition in &result.conditions {
        let mark = if condition.satisfied { "✓" } else { "✗" };
        out.line(format!("  {mark} {}", condition.explanation))?;
    }
    out.line(format!("  Décision : {}", result.decision))?;
    for reason in &result.pending {
        out.line(format!("  En attente : {reason}"))?;
    }
    Ok(())
}

fn print_position(position: &PositionResult, out: &mut Output) -> Result<(), CliError> {
    let grade = position.grade.map_or("—".to_owned(), display_grade);
    let official =
        position.agreed.as_ref().or(position.evaluations.first()).filter(|_| position.grade.is_some());
    let points = official
        .map(|evaluation| {
            format!("{}/{} pts", evaluation.points.normalize(), evaluation.max_points.normalize())
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
        let grades: Vec<String> = comparison
            .grades
            .iter()
            .map(|g| format!("{} {}", g.examiner, g.grade.map_or("incomplète".to_owned(), display_grade)))
            .collect();
        let status = match comparison.status {
            DiscrepancyStatus::None => "",
            DiscrepancyStatus::Agreed => " — accord enregistré",
            DiscrepancyStatus::Open => " — DIVERGENCE OUVERTE",
        };
        out.line(format!("           expert·e·s : {}{status}", grades.join(", ")))?;
        for flag in &comparison.flags {
            out.line(format!("           ⚑ {}", flag.message))?;
        }
    }
    if let Some(source) = &position.grade_source {
        out.line(format!("           source : {source}"))?;
    }
    for reason in &position.pending {
        out.line(format!("           en attente : {reason}"))?;
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

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width - 1).collect();
        cut.push('…');
        cut
    }
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
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress { total, done: 0, visible: total >= 200 && std::io::stderr().is_terminal() }
    }

    fn tick(&mut self) {
        self.done += 1;
        if self.visible && (self.done.is_multiple_of(100) || self.done == self.total) {
            let width = 30;
            let filled = self.done * width / self.total.max(1);
            eprint!(
                "\rnotation [{}{}] {}/{}",
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
