//! The one CSV of a session's results, written the same way by `grille
//! score --format csv` and by the server's export
//! (`/api/sessions/{id}/results/csv`): one line per candidate with the
//! number, status, attempt, each part's grade, each position's grade, the
//! overall grade, the outcome, the decision, what is still pending and the
//! open discrepancies. It is written for Excel on a Swiss Windows: UTF-8
//! with a byte order mark, `;` between fields, the column names and the
//! status and outcome in the reader's language (the decision and pending
//! reasons are the engine's French sentences).
//!
//! ```
//! use grille_report::i18n::Language;
//! use grille_report::results_csv::ResultsCsv;
//!
//! let catalogue = grille_competence::Catalogue::embedded().expect("the embedded catalogue");
//! let exam = grille_scoring::embedded::federal_exam(&catalogue).expect("the embedded exam");
//! let csv = ResultsCsv::new(Vec::new(), &exam.blueprint, Language::De).unwrap();
//! let text = String::from_utf8(csv.finish().unwrap()).unwrap();
//! assert!(text.starts_with("\u{feff}Nummer;Status;Versuch;Note Prüfungsteil 1;"), "{text}");
//! ```

use std::io::Write;

use grille_scoring::decimal::display_rounded;
use grille_scoring::{Blueprint, CandidateGrades, CandidateStatus, Outcome};
use rust_decimal::Decimal;

use crate::i18n::{self, Language};
use crate::messages;

/// Writes the results CSV into `W`: the byte order mark and the column
/// names first ([`ResultsCsv::new`]), then one line per candidate
/// ([`ResultsCsv::write`]).
pub struct ResultsCsv<W: Write> {
    writer: csv::Writer<W>,
    /// The part ids, in blueprint order.
    parts: Vec<String>,
    /// The position ids, in blueprint order.
    positions: Vec<String>,
    language: Language,
}

/// A failure to write the CSV (the destination refused the bytes).
#[derive(Debug, thiserror::Error)]
#[error("CSV : {0}")]
pub struct CsvError(String);

impl CsvError {
    /// A failure described by `detail`.
    pub(crate) fn new(detail: String) -> CsvError {
        CsvError(detail)
    }
}

impl<W: Write> ResultsCsv<W> {
    /// Starts the CSV of a session scored with `blueprint`, for a reader of
    /// `language`: writes the byte order mark and the column names.
    pub fn new(out: W, blueprint: &Blueprint, language: Language) -> Result<ResultsCsv<W>, CsvError> {
        ResultsCsv::with_delimiter(out, blueprint, language, b';')
    }

    /// The same with another field delimiter (the server's export offers
    /// `,` for spreadsheets set to it).
    pub fn with_delimiter(
        mut out: W,
        blueprint: &Blueprint,
        language: Language,
        delimiter: u8,
    ) -> Result<ResultsCsv<W>, CsvError> {
        out.write_all("\u{feff}".as_bytes()).map_err(|error| CsvError(error.to_string()))?;
        let writer = csv::WriterBuilder::new().delimiter(delimiter).from_writer(out);
        let parts: Vec<String> = blueprint.parts.iter().map(|part| part.id.clone()).collect();
        let positions: Vec<String> = blueprint
            .parts
            .iter()
            .flat_map(|part| &part.positions)
            .map(|position| position.id.clone())
            .collect();
        let mut csv = ResultsCsv { writer, parts, positions, language };
        let header = csv.header();
        csv.writer.write_record(&header).map_err(|error| CsvError(error.to_string()))?;
        Ok(csv)
    }

    /// The column names in the reader's language.
    fn header(&self) -> Vec<String> {
        let tr = |key: &str| i18n::translate(self.language, key);
        let mut header = vec![tr("csv.results.number"), tr("csv.results.status"), tr("csv.results.attempt")];
        let template = tr("csv.results.part");
        header.extend(self.parts.iter().map(|part| i18n::format(&template, &[("part", part.clone())])));
        let template = tr("csv.results.position");
        header.extend(
            self.positions.iter().map(|position| i18n::format(&template, &[("position", position.clone())])),
        );
        header.extend(
            ["overall", "outcome", "decision", "pending", "open_discrepancies"]
                .map(|column| tr(&format!("csv.results.{column}"))),
        );
        header
    }

    /// Writes the line of one candidate.
    pub fn write(&mut self, candidate: &CandidateGrades) -> Result<(), CsvError> {
        let grade = |grade: Option<Decimal>| grade.map(display_rounded).unwrap_or_default();
        let mut fields: Vec<String> = Vec::with_capacity(self.parts.len() + self.positions.len() + 8);
        fields.push(candidate.number.clone());
        fields.push(i18n::translate(self.language, status_key(candidate.status)));
        fields.push(candidate.attempt.to_string());
        for id in &self.parts {
            fields.push(grade(
                candidate.parts.iter().find(|part| &part.part == id).and_then(|part| part.grade),
            ));
        }
        for id in &self.positions {
            let position =
                candidate.parts.iter().flat_map(|part| &part.positions).find(|p| &p.position == id);
            fields.push(grade(position.and_then(|position| position.grade)));
        }
        fields.push(grade(candidate.overall));
        fields.push(i18n::translate(self.language, outcome_key(candidate.outcome)));
        fields.push(messages::plain(candidate.decision_message.as_ref(), &candidate.decision, self.language));
        let separator = i18n::translate(self.language, "engine.separator.semicolon");
        fields.push(
            messages::plain_list(&candidate.pending_messages, &candidate.pending, self.language)
                .join(&separator),
        );
        fields.push(candidate.open_discrepancies.to_string());
        self.writer.write_record(&fields).map_err(|error| CsvError(error.to_string()))
    }

    /// Ends the CSV and gives the destination back.
    pub fn finish(self) -> Result<W, CsvError> {
        self.writer.into_inner().map_err(|error| CsvError(error.to_string()))
    }
}

/// The translation key of a candidate status.
fn status_key(status: CandidateStatus) -> &'static str {
    match status {
        CandidateStatus::Present => "exam.status.present",
        CandidateStatus::WithdrawnExcused => "exam.status.withdrawn_excused",
        CandidateStatus::WithdrawnUnexcused => "exam.status.withdrawn_unexcused",
        CandidateStatus::Excluded => "exam.status.excluded",
        CandidateStatus::Absent => "exam.status.absent",
    }
}

/// The translation key of an outcome.
fn outcome_key(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "exam.outcome.passed",
        Outcome::Failed => "exam.outcome.failed",
        Outcome::Pending => "exam.outcome.pending",
        Outcome::NoResult => "exam.outcome.no_result",
    }
}
