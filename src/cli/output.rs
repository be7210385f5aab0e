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

/// serde_json's pretty layout (two spaces per level, `": "` after a key),
/// byte for byte, written with one `write_all` per line break instead of
/// one per level of indentation: the JSON of `grille score` has hundreds
/// of megabytes of deeply indented lines.
pub(crate) struct PrettyJson {
    depth: usize,
    has_value: bool,
}

/// `,` then a line break then the spaces of [`INDENT_LEVELS`] levels.
const BREAK: &[u8] = {
    const BYTES: [u8; 2 + 2 * INDENT_LEVELS] = {
        let mut bytes = [b' '; 2 + 2 * INDENT_LEVELS];
        bytes[0] = b',';
        bytes[1] = b'\n';
        bytes
    };
    &BYTES
};

/// The depth up to which a line break is one write; deeper ones write the
/// rest level by level.
const INDENT_LEVELS: usize = 64;

impl PrettyJson {
    /// For a value written inside `depth` levels of arrays and objects
    /// (its lines indented as they would be there).
    pub(crate) fn at_depth(depth: usize) -> PrettyJson {
        PrettyJson { depth, has_value: false }
    }

    /// A line break (after a comma when `comma`) and the current indentation.
    fn line_break<W: ?Sized + Write>(&self, writer: &mut W, comma: bool) -> io::Result<()> {
        let levels = self.depth.min(INDENT_LEVELS);
        let start = if comma { 0 } else { 1 };
        writer.write_all(&BREAK[start..2 + 2 * levels])?;
        for _ in levels..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for PrettyJson {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line_break(writer, false)?;
        }
        writer.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.line_break(writer, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line_break(writer, false)?;
        }
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.line_break(writer, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
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

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::PrettyJson;

    /// `value` written with [`PrettyJson`].
    fn pretty(value: &serde_json::Value) -> String {
        let mut bytes = Vec::new();
        value
            .serialize(&mut serde_json::Serializer::with_formatter(&mut bytes, PrettyJson::at_depth(0)))
            .unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn pretty_json_is_serde_json_pretty_byte_for_byte() {
        // Nesting deeper than the indentation written at once.
        let mut deep = serde_json::json!({"leaf": [1, {}, []]});
        for level in 0..80 {
            deep =
                if level % 2 == 0 { serde_json::json!([deep, "x"]) } else { serde_json::json!({"k": deep}) };
        }
        for value in [
            serde_json::json!(null),
            serde_json::json!("é\n\"text\""),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!([[], {}, [[]], {"a": {}}]),
            serde_json::json!({"a": 1, "b": [true, false, null], "c": {"d": "4.50", "e": [{"f": []}]}}),
            deep,
        ] {
            assert_eq!(pretty(&value), serde_json::to_string_pretty(&value).unwrap(), "{value}");
        }
    }
}
