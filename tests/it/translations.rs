//! Our own exam documents in German: every shipped document under
//! `rubrics/` and `examples/` is walked, and each localized text
//! (`{"fr": …, "de": …, "it": …}`) that has French must have German too.
//! The qualification profile (`catalogue/`) is left out on purpose: its
//! German text is the official one, which a board imports (see issue 12).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::repo_root;

/// The JSON files of the folders whose documents grille writes itself.
fn shipped_documents() -> Vec<PathBuf> {
    let root = repo_root();
    let mut files = Vec::new();
    for folder in ["rubrics", "examples", "examples/cases"] {
        let entries = std::fs::read_dir(root.join(folder)).unwrap_or_else(|e| panic!("{folder}: {e}"));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.extension().is_some_and(|ext| ext == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 10, "the shipped documents were not found: {files:?}");
    files
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn relative(path: &Path) -> String {
    path.strip_prefix(repo_root()).unwrap_or(path).display().to_string()
}

/// A JSON pointer segment (RFC 6901).
fn segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Whether `object` is a localized text: a string `fr`, and no key but
/// `fr`, `de` and `it`.
fn is_localized(object: &serde_json::Map<String, Value>) -> bool {
    object.get("fr").is_some_and(Value::is_string)
        && object.keys().all(|key| matches!(key.as_str(), "fr" | "de" | "it"))
}

/// Every localized text of `value` with its pointer.
fn localized_texts<'a>(value: &'a Value, pointer: String, found: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(object) if is_localized(object) => found.push((pointer, value)),
        Value::Object(object) => {
            for (key, child) in object {
                localized_texts(child, format!("{pointer}/{}", segment(key)), found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                localized_texts(child, format!("{pointer}/{index}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn every_localized_text_of_our_documents_has_german() {
    let mut missing = Vec::new();
    let mut counted = 0;
    for path in shipped_documents() {
        let document = read(&path);
        let mut texts = Vec::new();
        localized_texts(&document, String::new(), &mut texts);
        for (pointer, text) in texts {
            counted += 1;
            let german = text.get("de").and_then(Value::as_str).unwrap_or_default();
            if german.trim().is_empty() {
                missing.push(format!("{} {pointer}", relative(&path)));
            }
        }
    }
    println!("{counted} localized texts in the shipped documents");
    assert!(counted > 150, "only {counted} localized texts found: is the walk still right?");
    assert!(missing.is_empty(), "French without German:\n{}", missing.join("\n"));
}

#[test]
fn the_walk_names_the_file_and_pointer_of_a_text_without_german() {
    let document: Value = serde_json::from_str(
        r#"{"title": {"fr": "Grille", "de": "Raster"},
            "criteria": [{"levels": [{"descriptor": {"fr": "niveau"}}]}],
            "a/b": {"fr": "x", "it": "x"}, "note": {"fr": 1}, "other": {"fr": "y", "id": "z"}}"#,
    )
    .unwrap();
    let mut texts = Vec::new();
    localized_texts(&document, String::new(), &mut texts);
    let mut without: Vec<&str> = texts
        .iter()
        .filter(|(_, text)| text.get("de").is_none())
        .map(|(pointer, _)| pointer.as_str())
        .collect();
    without.sort_unstable();
    assert_eq!(without, ["/a~1b", "/criteria/0/levels/0/descriptor"]);
}

/// The translation note of `document` for German, if any.
fn german_note(document: &Value) -> Option<&Value> {
    document.pointer("/translation/de")
}

#[test]
fn each_translated_document_says_who_translated_it_and_that_the_board_has_not_checked_it_yet() {
    for path in shipped_documents() {
        let document = read(&path);
        let file = relative(&path);
        let mut texts = Vec::new();
        localized_texts(&document, String::new(), &mut texts);
        let is_session = document.get("candidates").is_some();
        let translated_case = document.get("language").and_then(Value::as_str) == Some("de")
            && german_note(&document).is_some();
        if (texts.is_empty() || is_session) && !translated_case {
            // A case written in one language, or the worked example's
            // session (data, whose only text is its title), carries no note.
            continue;
        }
        let note = german_note(&document).unwrap_or_else(|| panic!("{file}: no /translation/de note"));
        assert_eq!(note["by"], "grille", "{file}: /translation/de/by");
        assert_eq!(note["checked_by_board"], false, "{file}: not checked by a board yet");
        if let Some(french) = document.get("assumptions").and_then(Value::as_array) {
            let german = note.get("assumptions").and_then(Value::as_array).map_or(0, Vec::len);
            assert_eq!(german, french.len(), "{file}: one German assumption for each French one");
        }
    }
}

#[test]
fn every_french_case_has_its_german_translation_beside_it() {
    let cases: Vec<(String, Value)> = shipped_documents()
        .iter()
        .map(|path| (relative(path), read(path)))
        .filter(|(_, document)| document.get("tasks").is_some())
        .collect();
    for (file, case) in &cases {
        if case["language"] != "fr" {
            continue;
        }
        let translation = cases.iter().find(|(_, other)| {
            other["language"] == "de"
                && other.pointer("/translation/de/source/id") == case.get("id")
                && other.pointer("/translation/de/source/version") == case.get("version")
        });
        let (german_file, german) =
            translation.unwrap_or_else(|| panic!("{file}: no German case translated from it"));
        // The same case in another language: same tasks, same examiner
        // notes count, same competences, criteria and positions.
        for field in ["competences", "criteria", "positions", "not_assessed", "year"] {
            assert_eq!(case.get(field), german.get(field), "{german_file}: {field} as in {file}");
        }
        let shape = |case: &Value| -> Vec<(String, usize)> {
            case["tasks"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|task| {
                    let notes = task["examiner_notes"].as_array().map_or(0, Vec::len);
                    (task["id"].as_str().unwrap_or_default().to_owned(), notes)
                })
                .collect()
        };
        assert_eq!(shape(case), shape(german), "{german_file}: tasks and their notes as in {file}");
        assert_eq!(
            case["attachments"].as_array().map(Vec::len),
            german["attachments"].as_array().map(Vec::len),
            "{german_file}: one attachment for each of {file}"
        );
    }
}

/// Every German text of a document: localized texts' `de`, translated
/// assumptions, and all the texts of a case written in German.
fn german_texts(document: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    fn strings(value: &Value, pointer: String, found: &mut Vec<(String, String)>) {
        match value {
            Value::String(text) => found.push((pointer, text.clone())),
            Value::Object(object) => {
                for (key, child) in object {
                    strings(child, format!("{pointer}/{}", segment(key)), found);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    strings(child, format!("{pointer}/{index}"), found);
                }
            }
            _ => {}
        }
    }
    if document["language"] == "de" {
        strings(document, String::new(), &mut found);
        return found;
    }
    let mut texts = Vec::new();
    localized_texts(document, String::new(), &mut texts);
    for (pointer, text) in texts {
        if let Some(german) = text.get("de") {
            strings(german, format!("{pointer}/de"), &mut found);
        }
    }
    if let Some(note) = german_note(document) {
        strings(&note["assumptions"], "/translation/de/assumptions".to_owned(), &mut found);
    }
    found
}

#[test]
fn german_texts_follow_swiss_spelling() {
    let mut sharp_s = Vec::new();
    let mut german = 0;
    for path in shipped_documents() {
        for (pointer, text) in german_texts(&read(&path)) {
            german += 1;
            if text.contains('ß') {
                sharp_s.push(format!("{} {pointer}", relative(&path)));
            }
        }
    }
    assert!(german > 150, "only {german} German texts found");
    assert!(sharp_s.is_empty(), "de-CH writes «ss», never «ß»:\n{}", sharp_s.join("\n"));
}
