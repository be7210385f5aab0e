//! The one CSV of a what-if comparison, written the same way by `grille
//! score --what-if … --format csv` and by the server
//! (`POST /api/sessions/{id}/what-if/csv`, which the what-if page offers
//! as a download after a simulation): one line per candidate whose grades
//! or decision would change, exactly the candidates the page lists, in
//! the session's order. UTF-8 with a byte order mark and `;` between
//! fields (Excel on a Swiss Windows), the column names, outcomes and kinds
//! of change in the reader's language, the decisions in the reader's
//! language where the engine gave a message for them (else its French
//! sentence).
//!
//! ```
//! use grille_report::i18n::Language;
//! use grille_report::what_if::csv::what_if_csv;
//! use grille_scoring::engine::WhatIf;
//!
//! let bytes = what_if_csv(Vec::new(), &WhatIf::new(), Language::It, b';').unwrap();
//! let text = String::from_utf8(bytes).unwrap();
//! assert!(text.starts_with("\u{feff}Numero;Esito reale;Esito simulato;"), "{text}");
//! ```

use std::io::Write;

use grille_scoring::Outcome;
use grille_scoring::decimal::display_grade;
use grille_scoring::engine::{CandidateChange, GradeLevel, WhatIf};
use rust_decimal::Decimal;

use crate::i18n::{self, Language};
use crate::messages;
use crate::results_csv::CsvError;

/// The columns, in order (keys `csv.what_if.{column}`).
const COLUMNS: [&str; 9] = [
    "number",
    "outcome_before",
    "outcome_after",
    "overall_before",
    "overall_after",
    "change",
    "grades",
    "decision_before",
    "decision_after",
];

/// The keys this module builds from the data, listed so that a test
/// checks each exists in every language.
pub const CODE_KEYS: [&str; 13] = [
    "csv.what_if.number",
    "csv.what_if.outcome_before",
    "csv.what_if.outcome_after",
    "csv.what_if.overall_before",
    "csv.what_if.overall_after",
    "csv.what_if.change",
    "csv.what_if.grades",
    "csv.what_if.decision_before",
    "csv.what_if.decision_after",
    "csv.what_if.change.gained",
    "csv.what_if.change.lost",
    "csv.what_if.change.decision",
    "csv.what_if.change.grades_only",
];

/// Writes the comparison into `out` (byte order mark, column names, one
/// line per candidate that changes) with `delimiter` between fields, and
/// gives `out` back.
pub fn what_if_csv<W: Write>(
    mut out: W,
    what_if: &WhatIf,
    language: Language,
    delimiter: u8,
) -> Result<W, CsvError> {
    let failed = |error: &dyn std::fmt::Display| CsvError::new(error.to_string());
    out.write_all("\u{feff}".as_bytes()).map_err(|error| failed(&error))?;
    let mut writer = ::csv::WriterBuilder::new().delimiter(delimiter).from_writer(out);
    let tr = |key: &str| i18n::translate(language, key);
    writer
        .write_record(COLUMNS.map(|column| tr(&format!("csv.what_if.{column}"))))
        .map_err(|error| failed(&error))?;
    for change in &what_if.changes {
        writer.write_record(line(change, language)).map_err(|error| failed(&error))?;
    }
    writer.into_inner().map_err(|error| failed(&error))
}

fn grade(value: Option<Decimal>) -> String {
    value.map(display_grade).unwrap_or_default()
}

fn outcome(outcome: Outcome, language: Language) -> String {
    i18n::translate(language, &format!("exam.outcome.{}", crate::candidate::outcome_name(outcome)))
}

/// The kind of change: a pass gained or lost, another change of decision,
/// or grades only.
fn kind(change: &CandidateChange) -> &'static str {
    match (change.outcome_before == Outcome::Passed, change.outcome_after == Outcome::Passed) {
        (false, true) => "csv.what_if.change.gained",
        (true, false) => "csv.what_if.change.lost",
        _ if change.decision_changes() => "csv.what_if.change.decision",
        _ => "csv.what_if.change.grades_only",
    }
}

fn line(change: &CandidateChange, language: Language) -> [String; 9] {
    let tr = |key: &str| i18n::translate(language, key);
    let grades: Vec<String> = change
        .grades
        .iter()
        .map(|each| {
            let key = match each.level {
                GradeLevel::Part => "what_if.grade.part",
                GradeLevel::Position => "what_if.grade.position",
            };
            let before = if each.before.is_some() { grade(each.before) } else { "–".to_owned() };
            let after = if each.after.is_some() { grade(each.after) } else { "–".to_owned() };
            i18n::format(&tr(key), &[("id", each.id.clone()), ("before", before), ("after", after)])
        })
        .collect();
    [
        change.number.clone(),
        outcome(change.outcome_before, language),
        outcome(change.outcome_after, language),
        grade(change.overall_before),
        grade(change.overall_after),
        tr(kind(change)),
        grades.join(" | "),
        messages::plain(change.decision_before_message.as_ref(), &change.decision_before, language),
        messages::plain(change.decision_after_message.as_ref(), &change.decision_after, language),
    ]
}

#[cfg(test)]
mod tests {
    use grille_scoring::engine::GradeChange;

    use super::*;

    fn change(number: &str, before: Outcome, after: Outcome) -> CandidateChange {
        CandidateChange {
            number: number.to_owned(),
            outcome_before: before,
            outcome_after: after,
            overall_before: Some(Decimal::new(39, 1)),
            overall_after: Some(Decimal::new(40, 1)),
            grades: vec![GradeChange {
                level: GradeLevel::Part,
                id: "2".to_owned(),
                before: Some(Decimal::new(35, 1)),
                after: None,
            }],
            decision_before: "examen non réussi".to_owned(),
            decision_before_message: None,
            decision_after: "examen réussi".to_owned(),
            decision_after_message: None,
        }
    }

    #[test]
    fn one_line_per_change_in_the_readers_language() {
        let mut what_if = WhatIf::new();
        what_if.changes.push(change("2026-003", Outcome::Failed, Outcome::Passed));
        what_if.changes.push(change("2026-004", Outcome::Passed, Outcome::Passed));
        let german =
            String::from_utf8(what_if_csv(Vec::new(), &what_if, Language::De, b';').unwrap()).unwrap();
        let lines: Vec<&str> = german.lines().collect();
        assert_eq!(lines.len(), 3, "{german}");
        assert!(lines[0].starts_with("\u{feff}Nummer;"), "{german}");
        assert!(
            lines[1].starts_with(
                "2026-003;nicht bestanden;bestanden;3.9;4.0;neu bestanden;Prüfungsteil 2: 3.5 → –;"
            ),
            "{}",
            lines[1]
        );
        assert!(lines[2].contains(";nur Noten;"), "{}", lines[2]);
        for language in Language::ALL {
            let text = String::from_utf8(what_if_csv(Vec::new(), &what_if, language, b',').unwrap()).unwrap();
            assert!(!text.contains('⟦'), "{language:?}: a key is missing: {text}");
            assert_eq!(text.lines().next().unwrap().matches(',').count(), COLUMNS.len() - 1);
        }
    }
}
