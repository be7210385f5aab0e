//! The header of a CSV enrolment file as board members write it: the
//! delimiter Excel uses in their locale (`;` in Switzerland, `,` or a tab
//! elsewhere) and column names in French, German or English.

use csv::StringRecord;
use grille_competence::search::fold;

use crate::error::FieldError;

/// The columns of an enrolment file: the field name (as in the JSON
/// enrolment and in `errors[].field`), its French name for messages, the
/// names accepted in a header (as written: they are folded before being
/// compared), and whether it is required.
pub(crate) const COLUMNS: [(&str, &str, &[&str], bool); 4] = [
    ("number", "numéro", &["numero", "numéro", "n°", "nº", "no", "nr", "number", "Nummer"], true),
    ("family_name", "nom", &["nom", "nom de famille", "family_name", "Name", "Nachname"], true),
    ("given_name", "prénom", &["prenom", "prénom", "given_name", "Vorname"], true),
    ("email", "courriel", &["courriel", "e-mail", "email", "mail", "E-Mail"], false),
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

/// The field a header names, if any.
pub(crate) fn column(header: &str) -> Option<&'static str> {
    let wanted = key(header);
    if wanted.is_empty() {
        return None;
    }
    COLUMNS
        .iter()
        .find(|(_, _, aliases, _)| aliases.iter().any(|alias| key(alias) == wanted))
        .map(|(field, ..)| *field)
}

/// How a delimiter is named in French.
pub(crate) fn delimiter_fr(delimiter: u8) -> &'static str {
    match delimiter {
        b';' => "point-virgule « ; »",
        b'\t' => "tabulation",
        _ => "virgule « , »",
    }
}

/// The expected columns, in French with the names accepted for each.
pub(crate) fn expected_fr() -> String {
    COLUMNS
        .iter()
        .map(|(_, french, aliases, required)| {
            let optional = if *required { "" } else { ", facultative" };
            format!("« {french} » ({}{optional})", aliases.join(", "))
        })
        .collect::<Vec<_>>()
        .join(" ; ")
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
pub(crate) fn detect(text: &str) -> Result<Header, FieldError> {
    let first_line = text.lines().next().unwrap_or_default();
    let mut best: Option<(usize, usize, Header)> = None;
    for delimiter in DELIMITERS {
        let Some(cells) = read_header(text, delimiter) else { continue };
        let known = cells.iter().filter(|cell| column(cell).is_some()).count();
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
            None => Err(FieldError::on_line(1, None, "En-tête illisible (guillemets ?).")),
        },
        Some((_, _, header)) => Ok(header),
    }
}

/// Which field each column of the header fills, or every problem of the
/// header (line 1): unknown columns, with the delimiter read, and missing
/// required ones, with the names accepted.
pub(crate) fn columns(header: &Header) -> Result<Vec<(&'static str, usize)>, Vec<FieldError>> {
    let mut found: Vec<(&'static str, usize)> = Vec::new();
    let mut errors = Vec::new();
    let delimiter = delimiter_fr(header.delimiter);
    for (index, cell) in header.cells.iter().enumerate() {
        match column(cell) {
            Some(field) if found.iter().any(|(seen, _)| *seen == field) => {
                errors.push(FieldError::on_line(
                    1,
                    Some(cell),
                    format!("La colonne « {cell} » figure deux fois (même sens qu'une colonne précédente)."),
                ));
            }
            Some(field) => found.push((field, index)),
            None => {
                // The accepted names are listed once, with the first
                // unknown column.
                let expected = if errors.iter().any(|error: &FieldError| error.detail.contains("attendues")) {
                    String::new()
                } else {
                    format!(" Colonnes attendues : {}.", expected_fr())
                };
                errors.push(FieldError::on_line(
                    1,
                    Some(cell),
                    format!("Colonne inconnue « {cell} » (séparateur lu : {delimiter}).{expected}"),
                ));
            }
        }
    }
    for (field, french, aliases, required) in COLUMNS {
        if required && !found.iter().any(|(seen, _)| *seen == field) {
            errors.push(FieldError::on_line(
                1,
                Some(field),
                format!(
                    "Colonne obligatoire « {french} » absente (séparateur lu : {delimiter}) ; noms admis : {}.",
                    aliases.join(", ")
                ),
            ));
        }
    }
    if errors.is_empty() { Ok(found) } else { Err(errors) }
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
            assert_eq!(column(header), field, "{header:?}");
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
            let header = detect(text).unwrap();
            assert_eq!((header.delimiter, header.cells.len()), (delimiter, cells), "{text:?}");
        }
    }
}
