//! Writing to stdout: a closed pipe (`grille ... | head`) ends the output
//! quietly instead of panicking as `println!` would.

use std::io::{self, Write};

use super::CliError;

/// Buffered stdout that reports write errors as [`CliError`].
pub(crate) struct Output {
    stdout: io::BufWriter<io::StdoutLock<'static>>,
}

impl Output {
    pub(crate) fn new() -> Self {
        // A large buffer: `grille score --format json` writes hundreds of
        // megabytes for a large session.
        Output { stdout: io::BufWriter::with_capacity(1 << 16, io::stdout().lock()) }
    }

    /// Writes `text` followed by a newline.
    pub(crate) fn line(&mut self, text: impl AsRef<str>) -> Result<(), CliError> {
        self.write(text.as_ref())?;
        self.write("\n")
    }

    /// Writes `text` as is.
    pub(crate) fn write(&mut self, text: &str) -> Result<(), CliError> {
        self.stdout.write_all(text.as_bytes()).map_err(output_error)
    }

    /// Writes `bytes` as they are.
    pub(crate) fn write_bytes(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        self.stdout.write_all(bytes).map_err(output_error)
    }

    /// The buffered stdout itself, for serde_json's serializer (errors
    /// through [`json_error`]).
    pub(crate) fn writer(&mut self) -> &mut impl Write {
        &mut self.stdout
    }

    /// Flushes; must be called at the end of a command.
    pub(crate) fn finish(mut self) -> Result<(), CliError> {
        self.stdout.flush().map_err(output_error)
    }
}

fn output_error(error: io::Error) -> CliError {
    if error.kind() == io::ErrorKind::BrokenPipe {
        // The reader went away (e.g. `| head`): nothing left to tell anyone.
        std::process::exit(0);
    }
    CliError::Output(error.to_string())
}

/// A serde_json error while writing to stdout, as [`Output::write`] reports
/// a write error.
pub(crate) fn json_error(error: serde_json::Error) -> CliError {
    match error.io_error_kind() {
        Some(io::ErrorKind::BrokenPipe) => output_error(io::Error::from(io::ErrorKind::BrokenPipe)),
        _ => CliError::Output(error.to_string()),
    }
}

/// Wraps `text` to `width` columns, prefixing every line with `indent`.
/// Paragraphs (separated by a blank line) stay separated.
pub(crate) fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut lines = Vec::new();
    for paragraph in text.split("\n\n") {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty()
                && indent.chars().count() + line.chars().count() + 1 + word.chars().count() > width
            {
                lines.push(format!("{indent}{line}"));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(format!("{indent}{line}"));
        }
    }
    lines.join("\n")
}
