//! The bytes of a CSV file turned into text, whatever Excel saved them
//! in: UTF-8 with or without a byte order mark ("CSV UTF-8"), UTF-16 with
//! its mark ("Unicode text"), or else Windows-1252 ("CSV (séparateur :
//! point-virgule)" on a Swiss or other Western Windows, which also covers
//! ISO-8859-1). Every CSV upload of the API, the pages' uploads and the
//! command line's imports read their files through [`decode_csv`].
//!
//! A file that is no text (a workbook saved as `.xlsx`, a control
//! character that no spreadsheet writes in a CSV) is refused with where it
//! went wrong, instead of being read as garbage.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use grille_scoring::{Message, MessageCode};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The encoding a CSV file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CsvEncoding {
    /// UTF-8 without a byte order mark (or plain ASCII).
    Utf8,
    /// UTF-8 with a byte order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little-endian with its mark (Excel's "Unicode text").
    #[serde(rename = "utf16le")]
    Utf16Le,
    /// UTF-16 big-endian with its mark.
    #[serde(rename = "utf16be")]
    Utf16Be,
    /// Windows-1252, a superset of ISO-8859-1 (Excel's "CSV" on a Western
    /// Windows): any file that is not UTF-8.
    Windows1252,
}

impl CsvEncoding {
    /// The key of its name in the translation catalogue
    /// (`csv.encoding.<name>`).
    pub fn key(self) -> &'static str {
        match self {
            CsvEncoding::Utf8 => "csv.encoding.utf8",
            CsvEncoding::Utf8Bom => "csv.encoding.utf8_bom",
            CsvEncoding::Utf16Le => "csv.encoding.utf16le",
            CsvEncoding::Utf16Be => "csv.encoding.utf16be",
            CsvEncoding::Windows1252 => "csv.encoding.windows1252",
        }
    }

    /// Its name as a message (`csv.encoding_name.*`), for the API's
    /// problems.
    pub fn name_message(self) -> Message {
        Message::new(match self {
            CsvEncoding::Utf8 => MessageCode::CsvEncodingNameUtf8,
            CsvEncoding::Utf8Bom => MessageCode::CsvEncodingNameUtf8Bom,
            CsvEncoding::Utf16Le => MessageCode::CsvEncodingNameUtf16Le,
            CsvEncoding::Utf16Be => MessageCode::CsvEncodingNameUtf16Be,
            CsvEncoding::Windows1252 => MessageCode::CsvEncodingNameWindows1252,
        })
    }

    /// Its name in French, for the API's messages.
    pub fn name_fr(self) -> &'static str {
        match self {
            CsvEncoding::Utf8 => "UTF-8",
            CsvEncoding::Utf8Bom => "UTF-8 avec BOM",
            CsvEncoding::Utf16Le => "UTF-16 LE",
            CsvEncoding::Utf16Be => "UTF-16 BE",
            CsvEncoding::Windows1252 => "Windows-1252 (ISO-8859-1)",
        }
    }
}

/// Why the bytes of a file are not CSV text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvDecodeError {
    /// The file is a spreadsheet workbook (`.xlsx`, `.ods` or `.xls`), not
    /// a CSV export of it.
    Workbook,
    /// A character no CSV text holds (a NUL, a control character, a byte
    /// Windows-1252 leaves undefined), read as `encoding`, at a line and
    /// column (from 1, in characters).
    NotText {
        /// The encoding tried.
        encoding: CsvEncoding,
        /// The line, from 1.
        line: u64,
        /// The column, from 1.
        column: u64,
        /// The character found.
        character: char,
    },
}

impl CsvDecodeError {
    /// The key of its explanation in the translation catalogue; its
    /// placeholders are `{line}`, `{column}`, `{code}` (the character as
    /// `U+0000`) and `{encoding}`.
    pub fn key(self) -> &'static str {
        match self {
            CsvDecodeError::Workbook => "csv.decode.workbook",
            CsvDecodeError::NotText { .. } => "csv.decode.not_text",
        }
    }

    /// The values of the explanation's placeholders.
    pub fn arguments(self) -> Vec<(&'static str, String)> {
        match self {
            CsvDecodeError::Workbook => Vec::new(),
            CsvDecodeError::NotText { encoding, line, column, character } => vec![
                ("line", line.to_string()),
                ("column", column.to_string()),
                ("code", format!("U+{:04X}", u32::from(character))),
                ("encoding", encoding.name_fr().to_owned()),
            ],
        }
    }

    /// The encoding the file was read in before the problem, if any.
    pub fn encoding(self) -> Option<CsvEncoding> {
        match self {
            CsvDecodeError::Workbook => None,
            CsvDecodeError::NotText { encoding, .. } => Some(encoding),
        }
    }

    /// The line the problem is on, if any.
    pub fn line(self) -> Option<u64> {
        match self {
            CsvDecodeError::Workbook => None,
            CsvDecodeError::NotText { line, .. } => Some(line),
        }
    }

    /// The explanation as a message (`csv.decode.*`), for the API: the
    /// encoding is a message too (`csv.encoding_name.*`).
    pub fn message(self) -> Message {
        match self {
            CsvDecodeError::Workbook => Message::new(MessageCode::CsvDecodeWorkbook),
            CsvDecodeError::NotText { encoding, line, column, character } => {
                Message::new(MessageCode::CsvDecodeNotText)
                    .with("line", line.to_string())
                    .with("column", column.to_string())
                    .with("code", format!("U+{:04X}", u32::from(character)))
                    .with_message("encoding", encoding.name_message())
            }
        }
    }
}

/// Whether a decoded character may stand in a CSV text: not a control
/// character other than tab and line ends, not one of the five bytes
/// Windows-1252 leaves undefined (decoded as C1 controls).
fn allowed(character: char) -> bool {
    !character.is_control() || matches!(character, '\t' | '\n' | '\r')
}

/// The first character of `text` that no CSV holds, with its line and
/// column.
fn first_foreign(text: &str) -> Option<(u64, u64, char)> {
    let mut line = 1u64;
    let mut column = 0u64;
    for character in text.chars() {
        if character == '\n' {
            line += 1;
            column = 0;
            continue;
        }
        column += 1;
        if !allowed(character) {
            return Some((line, column, character));
        }
    }
    None
}

/// The text of a CSV file and the encoding it was read in, without its
/// byte order mark.
pub fn decode_csv(bytes: &[u8]) -> Result<(String, CsvEncoding), CsvDecodeError> {
    // Zip (xlsx, ods) and OLE2 (xls) containers.
    if bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    {
        return Err(CsvDecodeError::Workbook);
    }
    let (text, encoding) = match Encoding::for_bom(bytes) {
        Some((found, length)) => {
            let encoding = if found == UTF_8 {
                CsvEncoding::Utf8Bom
            } else if found == UTF_16LE {
                CsvEncoding::Utf16Le
            } else if found == UTF_16BE {
                CsvEncoding::Utf16Be
            } else {
                CsvEncoding::Windows1252
            };
            let (text, _) = found.decode_without_bom_handling(&bytes[length..]);
            (text.into_owned(), encoding)
        }
        None => match UTF_8.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(text) => (text.into_owned(), CsvEncoding::Utf8),
            None => {
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                (text.into_owned(), CsvEncoding::Windows1252)
            }
        },
    };
    if let Some((line, column, character)) = first_foreign(&text) {
        return Err(CsvDecodeError::NotText { encoding, line, column, character });
    }
    Ok((text, encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encodings_excel_writes_are_recognised() {
        let utf8 = "nom;prénom\nMüller;Zoé\n";
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(utf8.as_bytes());
        let (latin, _, _) = WINDOWS_1252.encode(utf8);
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in utf8.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        for (bytes, encoding) in [
            (utf8.as_bytes().to_vec(), CsvEncoding::Utf8),
            (with_bom, CsvEncoding::Utf8Bom),
            (latin.into_owned(), CsvEncoding::Windows1252),
            (utf16, CsvEncoding::Utf16Le),
        ] {
            assert_eq!(decode_csv(&bytes), Ok((utf8.to_owned(), encoding)), "{encoding:?}");
        }
        // Windows-1252's own characters above ISO-8859-1: € and typographic quotes.
        assert_eq!(decode_csv(b"\x80 \x93x\x94"), Ok(("€ “x”".to_owned(), CsvEncoding::Windows1252)));
        assert_eq!(decode_csv(b""), Ok((String::new(), CsvEncoding::Utf8)));
    }

    #[test]
    fn what_is_not_text_is_refused_with_its_place() {
        assert_eq!(decode_csv(b"PK\x03\x04rest"), Err(CsvDecodeError::Workbook));
        // UTF-16 without its mark: a NUL after the first letter.
        let bytes: Vec<u8> = "nom\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(
            decode_csv(&bytes),
            Err(CsvDecodeError::NotText { encoding: CsvEncoding::Utf8, line: 1, column: 2, character: '\0' })
        );
        // A byte Windows-1252 leaves undefined, on the second line.
        assert_eq!(
            decode_csv(b"a;b\nc\xe9;\x81"),
            Err(CsvDecodeError::NotText {
                encoding: CsvEncoding::Windows1252,
                line: 2,
                column: 4,
                character: '\u{81}'
            })
        );
        assert!(decode_csv(b"a\tb\r\nc\n").is_ok(), "tabs and line ends are text");
    }
}
