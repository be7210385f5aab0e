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

use grille_scoring::{Blueprint, CandidateGrades, CandidateStatus, Outcome};
use rust_decimal::Decimal;

use crate::i18n::{self, Language};
use crate::messages;

/// Writes the results CSV into `W`: the byte order mark and the column
/// names first ([`ResultsCsv::new`]), then one line per candidate
/// ([`ResultsCsv::write`]).
pub struct ResultsCsv<W: Write> {
    writer: csv::Writer<W>,
    delimiter: u8,
    /// The part ids, in blueprint order.
    parts: Vec<String>,
    /// The position ids, in blueprint order.
    positions: Vec<String>,
    language: Language,
    /// The words every line repeats, translated once: the statuses (in
    /// [`CandidateStatus`] order), the outcomes (in [`Outcome`] order) and
    /// the separator of the pending list.
    statuses: [String; 5],
    outcomes: [String; 4],
    separator: String,
    /// A field being written (a grade, a list), kept to reuse its memory.
    field: String,
    /// The decisions and pending lists already said in the reader's
    /// language: a session's candidates share a few dozen of each, and
    /// saying one is most of a line's cost.
    said: Said,
}

/// Texts of messages already rendered, bounded.
#[derive(Default)]
struct Said {
    decisions: std::collections::HashMap<grille_scoring::Message, String>,
    pending: std::collections::HashMap<Vec<grille_scoring::Message>, String>,
}

/// How many texts of each kind [`Said`] keeps before starting afresh.
const SAID: usize = 4096;

impl Said {
    /// `message` in `language`, rendered the first time only.
    fn decision(&mut self, message: &grille_scoring::Message, language: Language) -> &str {
        if !self.decisions.contains_key(message) {
            if self.decisions.len() >= SAID {
                self.decisions.clear();
            }
            self.decisions.insert(message.clone(), messages::render(message, language));
        }
        &self.decisions[message]
    }

    /// The list `messages` in `language` joined by `separator`, rendered
    /// the first time only (as `plain_list` says a list whose messages
    /// match its French texts one for one).
    fn pending(&mut self, messages: &[grille_scoring::Message], language: Language, separator: &str) -> &str {
        if !self.pending.contains_key(messages) {
            if self.pending.len() >= SAID {
                self.pending.clear();
            }
            let texts: Vec<String> =
                messages.iter().map(|message| messages::render(message, language)).collect();
            let text = texts.join(separator);
            self.pending.insert(messages.to_vec(), text);
        }
        &self.pending[messages]
    }
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
        let tr = |key: &str| i18n::translate(language, key);
        let statuses = STATUSES.map(|status| tr(status_key(status)));
        let outcomes = OUTCOMES.map(|outcome| tr(outcome_key(outcome)));
        let separator = tr("engine.separator.semicolon");
        let (field, said) = (String::new(), Said::default());
        let mut csv = ResultsCsv {
            writer,
            delimiter,
            parts,
            positions,
            language,
            statuses,
            outcomes,
            separator,
            field,
            said,
        };
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

    /// Writes the line of one candidate, field by field (no line is built
    /// in memory: a batch of thousands of candidates writes each once).
    pub fn write(&mut self, candidate: &CandidateGrades) -> Result<(), CsvError> {
        self.write_line(candidate).map_err(|error| CsvError(error.to_string()))
    }

    fn write_line(&mut self, candidate: &CandidateGrades) -> Result<(), csv::Error> {
        let ResultsCsv {
            writer, parts, positions, language, statuses, outcomes, separator, field, said, ..
        } = self;
        let mut grade = |writer: &mut csv::Writer<W>, grade: Option<Decimal>| {
            field.clear();
            if let Some(grade) = grade {
                write_rounded(field, grade);
            }
            writer.write_field(field.as_bytes())
        };
        writer.write_field(&candidate.number)?;
        writer.write_field(&statuses[status_index(candidate.status)])?;
        writer.write_field(candidate.attempt.to_string())?;
        for id in parts.iter() {
            let part = candidate.parts.iter().find(|part| &part.part == id);
            grade(writer, part.and_then(|part| part.grade))?;
        }
        for id in positions.iter() {
            let position =
                candidate.parts.iter().flat_map(|part| &part.positions).find(|p| &p.position == id);
            grade(writer, position.and_then(|position| position.grade))?;
        }
        grade(writer, candidate.overall)?;
        writer.write_field(&outcomes[outcome_index(candidate.outcome)])?;
        match &candidate.decision_message {
            Some(message) => writer.write_field(said.decision(message, *language))?,
            None => writer.write_field(&candidate.decision)?,
        }
        if candidate.pending_messages.len() == candidate.pending.len() {
            writer.write_field(said.pending(&candidate.pending_messages, *language, separator))?;
        } else {
            // Not one for one: the French texts, as `plain_list` says them.
            let pending = messages::plain_list(&candidate.pending_messages, &candidate.pending, *language);
            writer.write_field(pending.join(separator.as_str()))?;
        }
        writer.write_field(candidate.open_discrepancies.to_string())?;
        writer.write_record(None::<&[u8]>)
    }

    /// Ends the CSV and gives the destination back.
    pub fn finish(self) -> Result<W, CsvError> {
        self.writer.into_inner().map_err(|error| CsvError(error.to_string()))
    }
}

impl ResultsCsv<Vec<u8>> {
    /// The bytes written so far (the lines since the last call, or the
    /// byte order mark and column names before the first), taken out:
    /// each thread of a batch writes its candidates' lines with a writer
    /// of its own, and they are put together in the session's order.
    pub fn take_lines(&mut self) -> Result<Vec<u8>, CsvError> {
        let empty = csv::WriterBuilder::new().delimiter(self.delimiter).from_writer(Vec::new());
        std::mem::replace(&mut self.writer, empty).into_inner().map_err(|error| CsvError(error.to_string()))
    }
}

/// Every candidate status, in the order of [`status_index`].
const STATUSES: [CandidateStatus; 5] = [
    CandidateStatus::Present,
    CandidateStatus::WithdrawnExcused,
    CandidateStatus::WithdrawnUnexcused,
    CandidateStatus::Excluded,
    CandidateStatus::Absent,
];

/// Where `status` is in [`STATUSES`].
fn status_index(status: CandidateStatus) -> usize {
    match status {
        CandidateStatus::Present => 0,
        CandidateStatus::WithdrawnExcused => 1,
        CandidateStatus::WithdrawnUnexcused => 2,
        CandidateStatus::Excluded => 3,
        CandidateStatus::Absent => 4,
    }
}

/// Every outcome, in the order of [`outcome_index`].
const OUTCOMES: [Outcome; 4] = [Outcome::Passed, Outcome::Failed, Outcome::Pending, Outcome::NoResult];

/// Where `outcome` is in [`OUTCOMES`].
fn outcome_index(outcome: Outcome) -> usize {
    match outcome {
        Outcome::Passed => 0,
        Outcome::Failed => 1,
        Outcome::Pending => 2,
        Outcome::NoResult => 3,
    }
}

/// `grade` as [`grille_scoring::decimal::display_rounded`] writes it ("4.0", "4.5", "4.25"),
/// appended to `out` without a string of its own.
fn write_rounded(out: &mut String, grade: Decimal) {
    use std::fmt::Write as _;
    // Writing into a String cannot fail.
    let _ = if grade.scale() == 0 { write!(out, "{grade}.0") } else { write!(out, "{grade}") };
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

#[cfg(test)]
mod tests {
    use grille_scoring::decimal::display_rounded;
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The CSV writes a grade exactly as every other export shows it.
        #[test]
        fn a_grade_is_written_as_display_rounded_writes_it(units in 0i64..=600_000, scale in 0u32..=5) {
            let grade = Decimal::new(units, scale);
            let mut written = String::from("kept ");
            write_rounded(&mut written, grade);
            prop_assert_eq!(written, format!("kept {}", display_rounded(grade)));
        }
    }

    #[test]
    fn every_status_and_outcome_has_its_own_text() {
        for language in Language::ALL {
            let statuses = STATUSES.map(|status| i18n::translate(language, status_key(status)));
            let outcomes = OUTCOMES.map(|outcome| i18n::translate(language, outcome_key(outcome)));
            for (index, status) in STATUSES.into_iter().enumerate() {
                assert_eq!(status_index(status), index);
            }
            for (index, outcome) in OUTCOMES.into_iter().enumerate() {
                assert_eq!(outcome_index(outcome), index);
            }
            let texts: std::collections::BTreeSet<_> = statuses.iter().chain(&outcomes).collect();
            assert_eq!(texts.len(), 9, "{language:?}: {statuses:?} {outcomes:?}");
            assert!(texts.iter().all(|text| !text.starts_with('⟦')), "{language:?}");
        }
    }
}
