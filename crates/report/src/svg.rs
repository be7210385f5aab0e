//! Small helpers shared by the charts: escaping and number formatting.

use std::fmt::Write;

/// `text` made safe inside SVG/HTML text and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// A coordinate with at most one decimal, enough for a screen and stable
/// across platforms in snapshots.
pub(crate) fn coordinate(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    let mut text = String::new();
    let _ = write!(text, "{rounded}");
    if text == "-0" { "0".to_owned() } else { text }
}

/// Splits `text` into lines of at most `width` characters at spaces, and
/// cuts it with an ellipsis after `max_lines` lines.
pub(crate) fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let needed = current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if !current.is_empty() && needed > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let kept: String = last.chars().take(width.saturating_sub(1)).collect();
            *last = format!("{}…", kept.trim_end());
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            escape(r#"<a href="x">L'été & co</a>"#),
            "&lt;a href=&quot;x&quot;&gt;L&#39;été &amp; co&lt;/a&gt;"
        );
    }

    #[test]
    fn formats_coordinates_with_one_decimal() {
        assert_eq!(coordinate(12.345), "12.3");
        assert_eq!(coordinate(10.0), "10");
        assert_eq!(coordinate(-0.01), "0");
    }

    #[test]
    fn wraps_and_cuts_long_labels() {
        assert_eq!(wrap("Promotion du développement individuel", 20, 2), ["Promotion du", "développement…"]);
        assert_eq!(
            wrap("Promotion du développement individuel", 20, 3),
            ["Promotion du", "développement", "individuel"]
        );
        assert_eq!(wrap("court", 20, 2), vec!["court".to_owned()]);
        assert!(wrap("", 20, 2).is_empty());
    }
}
