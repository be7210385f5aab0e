//! The header of a CSV upload (enrolment of candidates, assignment of
//! examiners) as board members write it: the delimiter Excel uses in their
//! locale (`;` in Switzerland, `,` or a tab elsewhere) and column names in
//! French, German or English.

use csv::StringRecord;
use grille_competence::search::fold;

use grille_scoring::{Message, MessageCode};

use crate::error::FieldError;

/// A column of an upload: the field name (as in the JSON request and in
/// `errors[].field`), the code of its name in messages (`csv.column.*`,
/// said in the reader's language), the names accepted in
/// a header (as written: they are folded before being compared), and
/// whether it is required.
pub(crate) type Column = (&'static str, MessageCode, &'static [&'static str], bool);

/// The columns of an enrolment file.
pub(crate) const CANDIDATE_COLUMNS: &[Column] = &[
    (
        "number",
        MessageCode::CsvColumnNumber,
        &["numero", "numéro", "n°", "nº", "no", "nr", "number", "Nummer"],
        true,
    ),
    (
        "family_name",
        MessageCode::CsvColumnFamilyName,
        &["nom", "nom de famille", "family_name", "Name", "Nachname"],
        true,
    ),
    ("given_name", MessageCode::CsvColumnGivenName, &["prenom", "prénom", "given_name", "Vorname"], true),
    ("email", MessageCode::CsvColumnEmail, &["courriel", "e-mail", "email", "mail", "E-Mail"], false),
];

/// The columns of an assignment file: one examiner per row (`expert·e`),
/// or the pair of a candidate's part on one row (`expert·e 1`, `expert·e 2`).
/// At least one examiner column is required (checked by the route).
pub(crate) const ASSIGNMENT_COLUMNS: &[Column] = &[
    (
        "candidate_number",
        MessageCode::CsvColumnNumber,
        &[
            "numero",
            "numéro",
            "n°",
            "nº",
            "no",
            "nr",
            "number",
            "Nummer",
            "candidat·e",
            "candidate",
            "Kandidat",
        ],
        true,
    ),
    ("part", MessageCode::CsvColumnPart, &["epreuve", "épreuve", "part", "Prüfungsteil", "Teil"], true),
    (
        "examiner",
        MessageCode::CsvColumnExaminer,
        &["expert·e", "expert", "experte", "examiner", "Experte", "Expertin"],
        false,
    ),
    (
        "examiner_1",
        MessageCode::CsvColumnExaminer1,
        &["expert·e 1", "expert 1", "examiner 1", "Experte 1", "Expertin 1"],
        false,
    ),
    (
        "examiner_2",
        MessageCode::CsvColumnExaminer2,
        &["expert·e 2", "expert 2", "examiner 2", "Experte 2", "Expertin 2"],
        false,
    ),
];

/// The columns of a file giving candidates their cases: one row per
/// candidate and position; the version may be left out when the bank
/// holds one version of the case that can be given.
pub(crate) const CASE_COLUMNS: &[Column] = &[
    (
        "candidate_number",
        MessageCode::CsvColumnNumber,
        &[
            "numero",
            "numéro",
            "n°",
            "nº",
            "no",
            "nr",
            "number",
            "Nummer",
            "candidat·e",
            "candidate",
            "Kandidat",
        ],
        true,
    ),
    (
        "position",
        MessageCode::CsvColumnPosition,
        &["point d'appréciation", "point", "position", "Position", "Beurteilungspunkt", "Prüfungsposition"],
        true,
    ),
    ("case", MessageCode::CsvColumnCase, &["cas", "case", "Fall", "Fallstudie", "caso"], true),
    ("version", MessageCode::CsvColumnVersion, &["version", "Version", "versione"], false),
];

/// The delimiters tried, in order of preference when several read the
/// header equally well.
const DELIMITERS: [u8; 3] = [b';', b',', b'\t'];

/// A header name folded for comparison: case and accents removed, byte
/// order marks, spaces, `_`, `-` and `.` ignored (`E-Mail` = `email`,
/// `N°` = `n°`, `Family name` = `family_name`).
fn key(header: &str) -> String {
    fold(header)
        .chars()
        .filter(|character| character.is_alphanumeric() || matches!(character, '°' | 'º'))
        .map(|character| if character == 'º' { '°' } else { character })
        .collect()
}

/// The field a header names among `set`, if any.
pub(crate) fn column(set: &[Column], header: &str) -> Option<&'static str> {
    let wanted = key(header);
    if wanted.is_empty() {
        return None;
    }
    set.iter()
        .find(|(_, _, aliases, _)| aliases.iter().any(|alias| key(alias) == wanted))
        .map(|(field, ..)| *field)
}

/// How a delimiter is named in messages.
pub(crate) fn delimiter_message(delimiter: u8) -> Message {
    Message::new(match delimiter {
        b';' => MessageCode::CsvDelimiterSemicolon,
        b'\t' => MessageCode::CsvDelimiterTab,
        _ => MessageCode::CsvDelimiterComma,
    })
}

/// The expected columns, each with the names accepted for it, as messages.
pub(crate) fn expected(set: &[Column]) -> Vec<Message> {
    set.iter()
        .map(|(_, label, aliases, required)| {
            let code = if *required {
                MessageCode::CsvExpectedColumn
            } else {
                MessageCode::CsvExpectedColumnOptional
            };
            Message::new(code).with_message("name", Message::new(*label)).with("aliases", aliases.join(", "))
        })
        .collect()
}

/// The expected columns in French, for the OpenAPI document.
pub(crate) fn expected_fr(set: &[Column]) -> String {
    expected(set).iter().map(Message::french).collect::<Vec<_>>().join(" ; ")
}

/// The header read with the delimiter that understands it best.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    /// The delimiter of every line.
    pub(crate) delimiter: u8,
    /// The header's cells, trimmed, without a byte order mark.
    pub(crate) cells: StringRecord,
}

fn read_header(text: &str, delimiter: u8) -> Option<StringRecord> {
    let mut reader = reader(text, delimiter);
    let mut cells = reader.headers().ok()?.clone();
    if let Some(first) = cells.get(0).filter(|first| first.starts_with('\u{feff}')) {
        let mut cleaned: Vec<String> = cells.iter().map(str::to_owned).collect();
        cleaned[0] = first.trim_start_matches('\u{feff}').trim().to_owned();
        cells = StringRecord::from(cleaned);
    }
    Some(cells)
}

/// A CSV reader over `text` with `delimiter`: lines of any length (the
/// checks say which line is short), values trimmed.
pub(crate) fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
}

/// Detects the delimiter from the header line: the one whose cells name
/// the most known columns; when none names any, the one that occurs most
/// in the first line (`,` if none occurs).
pub(crate) fn detect(text: &str, set: &[Column]) -> Result<Header, FieldError> {
    let first_line = text.lines().next().unwrap_or_default();
    let mut best: Option<(usize, usize, Header)> = None;
    for delimiter in DELIMITERS {
        let Some(cells) = read_header(text, delimiter) else { continue };
        let known = cells.iter().filter(|cell| column(set, cell).is_some()).count();
        let occurrences = first_line.bytes().filter(|byte| *byte == delimiter).count();
        let better = match &best {
            None => true,
            Some((best_known, best_occurrences, _)) => {
                (known, occurrences) > (*best_known, *best_occurrences)
            }
        };
        if better {
            best = Some((known, occurrences, Header { delimiter, cells }));
        }
    }
    match best {
        Some((0, 0, _)) | None => match read_header(text, b',') {
            Some(cells) => Ok(Header { delimiter: b',', cells }),
            None => Err(FieldError::said_on_line(1, None, Message::new(MessageCode::CsvHeaderUnreadable))),
        },
        Some((_, _, header)) => Ok(header),
    }
}

/// Which field each column of the header fills, or every problem of the
/// header (line 1): unknown columns, with the delimiter read, and missing
/// required ones, with the names accepted.
pub(crate) fn columns(
    header: &Header,
    set: &[Column],
) -> Result<Vec<(&'static str, usize)>, Vec<FieldError>> {
    let mut found: Vec<(&'static str, usize)> = Vec::new();
    let mut errors = Vec::new();
    let delimiter = delimiter_message(header.delimiter);
    let mut listed = false;
    for (index, cell) in header.cells.iter().enumerate() {
        match column(set, cell) {
            Some(field) if found.iter().any(|(seen, _)| *seen == field) => {
                let message = Message::new(MessageCode::CsvDuplicateColumn).with("column", cell);
                errors.push(FieldError::said_on_line(1, Some(cell), message));
            }
            Some(field) => found.push((field, index)),
            None => {
                // The accepted names are listed once, with the first
                // unknown column.
                let message = if listed {
                    Message::new(MessageCode::CsvUnknownColumn)
                } else {
                    listed = true;
                    Message::new(MessageCode::CsvUnknownColumnExpected).with_list("columns", expected(set))
                };
                let message = message.with("column", cell).with_message("delimiter", delimiter.clone());
                errors.push(FieldError::said_on_line(1, Some(cell), message));
            }
        }
    }
    for &(field, label, aliases, required) in set {
        if required && !found.iter().any(|(seen, _)| *seen == field) {
            let message = Message::new(MessageCode::CsvMissingColumn)
                .with_message("name", Message::new(label))
                .with_message("delimiter", delimiter.clone())
                .with("aliases", aliases.join(", "));
            errors.push(FieldError::said_on_line(1, Some(field), message));
        }
    }
    if errors.is_empty() { Ok(found) } else { Err(errors) }
}

/// A non-empty line of an upload, with the value of each column the header
/// names.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Its line in the file (the header is line 1).
    pub(crate) line: u64,
    values: Vec<(&'static str, String)>,
}

impl Row {
    /// The value of `field` (empty when the header has no such column).
    pub(crate) fn get(&self, field: &str) -> &str {
        self.values.iter().find(|(name, _)| *name == field).map_or("", |(_, value)| value.as_str())
    }
}

/// An upload read line by line.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    /// The fields the header names, in its order.
    pub(crate) fields: Vec<&'static str>,
    /// The readable lines with as many values as the header, blank lines
    /// left out.
    pub(crate) rows: Vec<Row>,
    /// The unreadable lines and those with too few or too many values.
    pub(crate) errors: Vec<FieldError>,
}

/// The line (from 1) where a record starts, counted from its byte offset
/// (the reader's own line count is one short after a `\r\n` header); the
/// offset may be that of the blank lines the reader skipped before it.
fn line_at(text: &str, position: &csv::Position) -> u64 {
    let bytes = text.as_bytes();
    let mut start = usize::try_from(position.byte()).unwrap_or(usize::MAX).min(bytes.len());
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|byte| **byte == b'\n').count() as u64
}

/// Reads an upload whose columns are among `set`: every problem of the
/// header (line 1) as the error, or its rows and the problems of its lines.
pub(crate) fn read(text: &str, set: &[Column]) -> Result<Upload, Vec<FieldError>> {
    let header = detect(text, set).map_err(|error| vec![error])?;
    let found = columns(&header, set)?;
    let mut upload = Upload {
        fields: found.iter().map(|(field, _)| *field).collect(),
        rows: Vec::new(),
        errors: Vec::new(),
    };
    for record in reader(text, header.delimiter).records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |position| line_at(text, position));
                upload.errors.push(FieldError::said_on_line(
                    line,
                    None,
                    Message::new(MessageCode::CsvLineUnreadable),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |position| line_at(text, position));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != header.cells.len() {
            let message = Message::new(MessageCode::CsvValueCount)
                .with("count", record.len().to_string())
                .with("expected", header.cells.len().to_string())
                .with_message("delimiter", delimiter_message(header.delimiter));
            upload.errors.push(FieldError::said_on_line(line, None, message));
            continue;
        }
        let values = found
            .iter()
            .map(|&(field, index)| (field, record.get(index).unwrap_or_default().to_owned()))
            .collect();
        upload.rows.push(Row { line, values });
    }
    Ok(upload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_in_three_languages_are_understood() {
        for (header, field) in [
            ("numero", Some("number")),
            ("Numéro", Some("number")),
            ("N°", Some("number")),
            ("no.", Some("number")),
            ("Nummer", Some("number")),
            ("\u{feff}number", Some("number")),
            (" NOM ", Some("family_name")),
            ("Nachname", Some("family_name")),
            ("Name", Some("family_name")),
            ("Family name", Some("family_name")),
            ("Prénom", Some("given_name")),
            ("PRENOM", Some("given_name")),
            ("Vorname", Some("given_name")),
            ("E-Mail", Some("email")),
            ("e-mail", Some("email")),
            ("Courriel", Some("email")),
            ("surname", None),
            ("", None),
            ("numero;nom", None),
        ] {
            assert_eq!(column(CANDIDATE_COLUMNS, header), field, "{header:?}");
        }
    }

    #[test]
    fn the_delimiter_is_the_one_that_reads_the_header() {
        for (text, delimiter, cells) in [
            ("numero;nom;prenom;courriel\n1;A;B;\n", b';', 4),
            ("numero,nom,prenom\n1,A,B\n", b',', 3),
            ("numero\tnom\tprenom\n1\tA\tB\n", b'\t', 3),
            // Commas inside a `;` file (a name "Muster, Anna") do not win.
            ("Nummer;Name;Vorname\n1;Muster, A;B\n", b';', 3),
            ("\u{feff}numero;nom;prenom\r\n1;A;B\r\n", b';', 3),
            ("foo;bar\n", b';', 2),
            ("foo\n", b',', 1),
        ] {
            let header = detect(text, CANDIDATE_COLUMNS).unwrap();
            assert_eq!((header.delimiter, header.cells.len()), (delimiter, cells), "{text:?}");
        }
    }

    #[test]
    fn assignment_columns_in_three_languages_are_understood() {
        for (header, field) in [
            ("numéro", Some("candidate_number")),
            ("Nummer", Some("candidate_number")),
            ("candidat·e", Some("candidate_number")),
            ("Épreuve", Some("part")),
            ("Prüfungsteil", Some("part")),
            ("Teil", Some("part")),
            ("part", Some("part")),
            ("expert·e", Some("examiner")),
            ("Expert", Some("examiner")),
            ("Experte", Some("examiner")),
            ("Expertin", Some("examiner")),
            ("examiner", Some("examiner")),
            ("Expert·e 1", Some("examiner_1")),
            ("Experte 1", Some("examiner_1")),
            ("examiner_2", Some("examiner_2")),
            ("Expertin 2", Some("examiner_2")),
            ("nom", None),
        ] {
            assert_eq!(column(ASSIGNMENT_COLUMNS, header), field, "{header:?}");
        }
    }

    #[test]
    fn lines_are_counted_in_the_file_whatever_its_line_ends() {
        for text in ["numero,nom,prenom\n1,A,B\n\n2,C\n", "numero,nom,prenom\r\n1,A,B\r\n\r\n2,C\r\n"] {
            let upload = read(text, CANDIDATE_COLUMNS).unwrap();
            let lines: Vec<u64> = upload.rows.iter().map(|row| row.line).collect();
            assert_eq!(lines, [2], "{text:?}");
            assert_eq!(
                upload.errors.iter().map(|error| error.line).collect::<Vec<_>>(),
                [Some(4)],
                "{text:?}"
            );
        }
    }
}
