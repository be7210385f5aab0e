//! `grille catalogue translation template|import`: adding the official
//! German or Italian profile without touching code.
//!
//! The template is a CSV sheet (`;`, UTF-8 with BOM, as Excel opens it on a
//! Swiss Windows) with one row per translatable text: its id, the French
//! text and the translation column (the translation already imported, or
//! empty). The import reads the filled sheet in any encoding Excel writes,
//! checks every row against the catalogue, and only when nothing is wrong
//! merges the texts into the data folder's translation file, which
//! `grille serve` lays over the catalogue at its next start.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use grille_competence::Catalogue;
use grille_competence::translation::{
    self, CheckedRows, Row, RowProblem, RowProblemKind, TranslationLanguage, TranslationProblem,
};
use grille_server::catalogue_files;

use super::files::{CliError, load_catalogue};
use super::output::Output;
use super::text::{tr, tr_with};
use super::{CatalogueSource, DataFolder};

/// Traduire le catalogue (profil officiel allemand ou italien) sans toucher
/// au code.
#[derive(Debug, Subcommand)]
pub(super) enum TranslationCommand {
    /// Écrit la feuille à remplir (CSV, séparateur « ; », UTF-8) sur la
    /// sortie standard : identifiant, texte français, traduction (vide ou
    /// déjà importée).
    Template {
        /// La langue de la traduction.
        #[arg(long, value_enum)]
        lang: LanguageArg,
        #[command(flatten)]
        data: DataFolder,
        #[command(flatten)]
        source: CatalogueSource,
    },
    /// Vérifie la feuille remplie et l'ajoute au fichier de traduction du
    /// dossier de données ; rien n'est importé s'il y a un problème.
    Import(ImportArgs),
}

/// The arguments of `translation import`.
#[derive(Debug, Args)]
pub(super) struct ImportArgs {
    /// La feuille remplie (CSV d'Excel : UTF-8, avec ou sans BOM, ou
    /// Windows-1252 ; séparateur « ; », « , » ou tabulation).
    file: PathBuf,
    /// La langue de la traduction (la colonne de la feuille doit porter ce
    /// code).
    #[arg(long, value_enum)]
    lang: LanguageArg,
    /// Importer une partie seulement : les textes absents ou vides restent
    /// en français et sont listés.
    #[arg(long)]
    partial: bool,
    #[command(flatten)]
    data: DataFolder,
    #[command(flatten)]
    source: CatalogueSource,
}

/// A language a catalogue is translated into.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum LanguageArg {
    /// Allemand.
    De,
    /// Italien.
    It,
}

impl LanguageArg {
    fn language(self) -> TranslationLanguage {
        match self {
            LanguageArg::De => TranslationLanguage::De,
            LanguageArg::It => TranslationLanguage::It,
        }
    }
}

pub(super) fn run(command: TranslationCommand) -> Result<(), CliError> {
    match command {
        TranslationCommand::Template { lang, data, source } => {
            let catalogue = translated(&data.data, source.catalogue.as_deref())?;
            let mut out = Output::new();
            out.write(&template(&catalogue, lang.language())?)?;
            out.finish()
        }
        TranslationCommand::Import(args) => import(args),
    }
}

/// The catalogue (embedded or `--catalogue`) with the data folder's
/// translations laid over it.
pub(super) fn translated(data: &Path, catalogue: Option<&Path>) -> Result<Catalogue, CliError> {
    let catalogue = load_catalogue(catalogue)?;
    catalogue_files::translated_catalogue(data, catalogue).map_err(|error| {
        CliError::Usage(tr_with("cli.translation.bad_file", &[("error", file_error(&error))]))
    })
}

/// Why a translation file of the data folder cannot be used, in this
/// run's language: the file, then each problem (a JSON problem with its
/// pointer, a syntax error with its line and column).
pub(super) fn file_error(error: &catalogue_files::TranslationFileError) -> String {
    use catalogue_files::TranslationFileError;
    let (path, problems): (&Path, Vec<String>) = match error {
        TranslationFileError::Read { path, source } => {
            return tr_with(
                "cli.translation.file.unreadable",
                &[("file", path.display().to_string()), ("error", source.to_string())],
            );
        }
        TranslationFileError::Invalid { path, problems } => {
            (path, problems.iter().map(super::text::problem).collect())
        }
        TranslationFileError::Mismatch { path, problems } => (
            path,
            problems
                .iter()
                .map(|problem| match problem {
                    TranslationProblem::OtherProfile { profile, version } => tr_with(
                        "cli.translation.file.other_profile",
                        &[("profile", profile.clone()), ("version", version.clone())],
                    ),
                    TranslationProblem::UnknownId { id } => {
                        tr_with("cli.translation.file.unknown_id", &[("id", id.clone())])
                    }
                    TranslationProblem::EmptyText { id } => {
                        tr_with("cli.translation.file.empty_text", &[("id", id.clone())])
                    }
                    TranslationProblem::Invalid => tr("cli.translation.file.invalid"),
                })
                .collect(),
        ),
    };
    tr_with(
        "cli.translation.file.problems",
        &[
            ("file", path.display().to_string()),
            ("problems", problems.join(&tr("cli.translation.file.separator"))),
        ],
    )
}

/// The sheet to fill: a header `id;fr;<language>` and one row per text.
fn template(catalogue: &Catalogue, language: TranslationLanguage) -> Result<String, CliError> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    let output = |error: csv::Error| CliError::Output(error.to_string());
    writer.write_record(["id", "fr", language.code()]).map_err(output)?;
    for text in catalogue.translatable_texts(language) {
        writer
            .write_record([text.id.as_str(), text.french, text.translated.unwrap_or_default()])
            .map_err(output)?;
    }
    let bytes = writer.into_inner().map_err(|error| CliError::Output(error.to_string()))?;
    String::from_utf8(bytes).map_err(|error| CliError::Output(error.to_string()))
}

/// A problem of the sheet, placed: `line` and `column` from 1 when known.
struct SheetProblem {
    line: Option<u64>,
    column: Option<usize>,
    message: String,
}

fn problem_at(line: Option<u64>, column: Option<usize>, message: String) -> SheetProblem {
    SheetProblem { line, column, message }
}

/// The sheet's problems as the CLI error: `file:line:column: message`.
fn refused(file: &Path, mut problems: Vec<SheetProblem>) -> CliError {
    // Placed problems in file order, then those of the whole file.
    problems.sort_by_key(|problem| (problem.line.is_none(), problem.line, problem.column));
    let file = file.display().to_string();
    let lines = problems
        .into_iter()
        .map(|problem| match (problem.line, problem.column) {
            (Some(line), Some(column)) => format!("{file}:{line}:{column}: {}", problem.message),
            (Some(line), None) => format!("{file}:{line}: {}", problem.message),
            _ => format!("{file}: {}", problem.message),
        })
        .collect();
    CliError::Sheet { file, problems: lines }
}

/// The cells of a header, trimmed, with the delimiter that reads it: the
/// one whose first cell is `id`.
fn header(text: &str) -> Option<(u8, Vec<String>)> {
    let first = text.lines().next().unwrap_or_default();
    [b';', b',', b'\t'].into_iter().find_map(|delimiter| {
        let cells: Vec<String> =
            first.split(char::from(delimiter)).map(|cell| cell.trim().to_owned()).collect();
        let id = cells.first().map(|cell| cell.trim_matches('"').to_ascii_lowercase());
        (cells.len() >= 2 && id.as_deref() == Some("id")).then_some((delimiter, cells))
    })
}

/// The language a header cell names (`de`, `DE`, `de-CH`, `Deutsch`...).
fn language_of(cell: &str) -> Option<&'static str> {
    let cell = cell.trim_matches('"').trim().to_lowercase();
    let primary = cell.split(['-', '_']).next().unwrap_or_default();
    match primary {
        "fr" | "français" | "francais" | "französisch" => Some("fr"),
        "de" | "deutsch" | "allemand" | "tedesco" => Some("de"),
        "it" | "italiano" | "italien" | "italienisch" => Some("it"),
        _ => None,
    }
}

/// The rows of the sheet, or every problem of its header and lines.
fn read_rows(text: &str, language: TranslationLanguage) -> Result<Vec<Row>, Vec<SheetProblem>> {
    let Some((delimiter, cells)) = header(text) else {
        let first = text.lines().next().unwrap_or_default().chars().take(80).collect::<String>();
        return Err(vec![problem_at(
            Some(1),
            None,
            tr_with("cli.translation.header", &[("lang", language.code().to_owned()), ("header", first)]),
        )]);
    };
    let mut problems = Vec::new();
    let mut text_column = None;
    for (index, cell) in cells.iter().enumerate().skip(1) {
        let column = index + 1;
        match language_of(cell) {
            Some("fr") => {}
            Some(code) if code == language.code() => text_column = Some(index),
            Some(code) => problems.push(problem_at(
                Some(1),
                Some(column),
                tr_with(
                    "cli.translation.wrong_language",
                    &[("found", code.to_owned()), ("lang", language.code().to_owned())],
                ),
            )),
            None if cell.is_empty() => {}
            None => problems.push(problem_at(
                Some(1),
                Some(column),
                tr_with(
                    "cli.translation.unknown_column",
                    &[("name", cell.clone()), ("lang", language.code().to_owned())],
                ),
            )),
        }
    }
    let Some(text_column) = text_column else {
        problems.push(problem_at(
            Some(1),
            None,
            tr_with("cli.translation.missing_language_column", &[("lang", language.code().to_owned())]),
        ));
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map(|position| line_at(text, position));
                problems.push(problem_at(line, None, tr("cli.translation.unreadable_line")));
                continue;
            }
        };
        let line = record.position().map_or(0, |position| line_at(text, position));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        rows.push(Row {
            line,
            id: record.get(0).unwrap_or_default().trim().to_owned(),
            text: record.get(text_column).unwrap_or_default().trim().to_owned(),
            id_column: 1,
            text_column: text_column + 1,
        });
    }
    if problems.is_empty() { Ok(rows) } else { Err(problems) }
}

/// The line (from 1) where a record starts, counted from its byte offset
/// (the reader's own count is one short after a `\r\n` header), past the
/// blank lines the reader skipped before it.
fn line_at(text: &str, position: &csv::Position) -> u64 {
    let bytes = text.as_bytes();
    let mut start = usize::try_from(position.byte()).unwrap_or(usize::MAX).min(bytes.len());
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|byte| **byte == b'\n').count() as u64
}

/// A checked row's problem in words.
fn describe(problem: &RowProblem) -> SheetProblem {
    let message = match &problem.kind {
        RowProblemKind::UnknownId { id } => tr_with("cli.translation.unknown_id", &[("id", id.clone())]),
        RowProblemKind::DuplicateId { id, first_line } => {
            tr_with("cli.translation.duplicate_id", &[("id", id.clone()), ("first", first_line.to_string())])
        }
        RowProblemKind::EmptyText { id } => tr_with("cli.translation.empty_text", &[("id", id.clone())]),
        RowProblemKind::MissingId { id } => tr_with("cli.translation.missing_id", &[("id", id.clone())]),
    };
    problem_at(problem.place.line, problem.place.column, message)
}

fn import(args: ImportArgs) -> Result<(), CliError> {
    let language = args.lang.language();
    let catalogue = translated(&args.data.data, args.source.catalogue.as_deref())?;
    let bytes =
        std::fs::read(&args.file).map_err(|source| CliError::Read { path: args.file.clone(), source })?;
    let text = match grille_server::decode_csv(&bytes) {
        Ok((text, _)) => text,
        Err(error) => {
            let mut arguments = error.arguments();
            if let Some(encoding) = error.encoding() {
                arguments.retain(|(name, _)| *name != "encoding");
                arguments.push(("encoding", tr(encoding.key())));
            }
            let column = match error {
                grille_server::CsvDecodeError::NotText { column, .. } => usize::try_from(column).ok(),
                grille_server::CsvDecodeError::Workbook => None,
            };
            let message = grille_report::i18n::format(&tr(error.key()), &arguments);
            return Err(refused(&args.file, vec![problem_at(error.line(), column, message)]));
        }
    };
    let rows = read_rows(&text, language).map_err(|problems| refused(&args.file, problems))?;
    let checked: CheckedRows = translation::check_rows(&catalogue, &rows, args.partial)
        .map_err(|problems| refused(&args.file, problems.iter().map(describe).collect()))?;
    let existing =
        catalogue_files::read_translation(&args.data.data, &catalogue, language).map_err(|error| {
            CliError::Usage(tr_with("cli.translation.bad_file", &[("error", file_error(&error))]))
        })?;
    let merged = translation::merge(&catalogue, language, existing, &checked);
    // Checked once more as the server will lay it over the catalogue.
    let applied = catalogue.translated(&merged).map_err(|problems| {
        CliError::Usage(tr_with("cli.translation.bad_file", &[("error", format!("{problems:?}"))]))
    })?;
    let path = catalogue_files::translation_path(&args.data.data, &catalogue, language);
    write_atomically(&path, &serde_json::to_string_pretty(&merged).unwrap_or_default())?;

    let mut out = Output::new();
    let language_name = tr(&format!("cli.translation.language.{}", language.code()));
    out.line(tr_with(
        "cli.translation.imported",
        &[
            ("count", checked.texts.len().to_string()),
            ("language", language_name),
            ("path", path.display().to_string()),
        ],
    ))?;
    let still_french: Vec<String> = applied
        .translatable_texts(language)
        .into_iter()
        .filter(|text| text.translated.is_none())
        .map(|text| text.id)
        .collect();
    if still_french.is_empty() {
        out.line(tr_with("cli.translation.complete", &[("count", merged.texts.len().to_string())]))?;
    } else {
        out.line(tr_with("cli.translation.still_french", &[("count", still_french.len().to_string())]))?;
        for id in &still_french {
            out.line(format!("  {id}"))?;
        }
    }
    out.line(tr_with("cli.translation.restart", &[("data", args.data.data.display().to_string())]))?;
    out.finish()
}

/// Writes `text` to `path` through a temporary file in the same folder,
/// so that a server starting meanwhile reads the old file or the new one,
/// never half of one.
fn write_atomically(path: &Path, text: &str) -> Result<(), CliError> {
    let failed = |error: std::io::Error| {
        CliError::Usage(tr_with(
            "cli.translation.write_failed",
            &[("path", path.display().to_string()), ("reason", error.to_string())],
        ))
    };
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(failed)?;
    }
    let temporary = path.with_extension("json.tmp");
    std::fs::write(&temporary, format!("{text}\n")).map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_read_with_its_delimiter_and_languages() {
        assert_eq!(header("id;fr;de\n").map(|(d, c)| (d, c.len())), Some((b';', 3)));
        assert_eq!(header("\"id\",\"fr\",\"de\"\n").map(|(d, _)| d), Some(b','));
        assert_eq!(header("id\tfr\tit\n").map(|(d, _)| d), Some(b'\t'));
        assert_eq!(header("code;fr;de\n"), None);
        for (cell, code) in [("de", Some("de")), ("DE-CH", Some("de")), ("Deutsch", Some("de")), ("en", None)]
        {
            assert_eq!(language_of(cell), code, "{cell}");
        }
    }
}
