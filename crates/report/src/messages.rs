//! The engine's messages in the reader's language: every decision, pending
//! reason, warning, condition, flag, reconciliation explanation, carried
//! part and case note that `grille-scoring` hands over as a code and its
//! arguments ([`Message`]) is written here through the catalogue, key
//! `engine.<code>`, its `{name}` placeholders filled with the arguments
//! (nested messages rendered the same way, lists joined by the language's
//! separator). A result stored before the engine spoke in codes has only
//! its French text: that text is shown as it is, marked `lang="fr"`.
//!
//! The problems found in documents are messages of the same kind, with
//! codes of their own: their catalogue key is `problem.<code>`.

use grille_scoring::{ListSeparator, Message, MessageArg, MessageCode};
use serde::Serialize;

use crate::i18n::{self, Language};

/// The catalogue key of a message code: `engine.<code>`, or
/// `problem.<code>` for a document problem's.
pub fn key(code: MessageCode) -> String {
    if code.is_problem() { format!("problem.{}", code.as_str()) } else { format!("engine.{}", code.as_str()) }
}

const SEMICOLON_KEY: &str = "engine.separator.semicolon";
const COMMA_KEY: &str = "engine.separator.comma";
const OR_KEY: &str = "engine.separator.or";

/// Every key this module reads, for the test that every key exists in
/// every shipped language.
pub fn code_keys() -> Vec<String> {
    let mut keys: Vec<String> = MessageCode::ALL.iter().map(|code| key(*code)).collect();
    keys.push(SEMICOLON_KEY.to_owned());
    keys.push(COMMA_KEY.to_owned());
    keys.push(OR_KEY.to_owned());
    keys
}

fn argument(name: &str, value: &MessageArg, language: Language) -> String {
    match value {
        MessageArg::Text(text) => text.clone(),
        MessageArg::Message(inner) => render(inner, language),
        MessageArg::List(items) => {
            let separator = i18n::translate(
                language,
                match ListSeparator::of(name) {
                    ListSeparator::Semicolon => SEMICOLON_KEY,
                    ListSeparator::Comma => COMMA_KEY,
                    ListSeparator::Or => OR_KEY,
                },
            );
            items.iter().map(|item| render(item, language)).collect::<Vec<_>>().join(&separator)
        }
    }
}

/// `message` in `language`.
pub fn render(message: &Message, language: Language) -> String {
    let arguments: Vec<(&str, String)> =
        message.args.iter().map(|(name, value)| (name.as_str(), argument(name, value, language))).collect();
    i18n::format(&i18n::translate(language, &key(message.code)), &arguments)
}

/// An engine text as a page shows it: in the reader's language, or the
/// stored French text marked with its language when the result carries no
/// message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EngineText {
    /// The text.
    pub text: String,
    /// The language to mark the text with (`fr`), when it is not the
    /// page's.
    pub lang: Option<&'static str>,
}

impl EngineText {
    /// `message` in `language`, or `french` marked as French without one.
    pub fn of(message: Option<&Message>, french: &str, language: Language) -> EngineText {
        match message {
            Some(message) => EngineText { text: render(message, language), lang: None },
            None => EngineText { text: french.to_owned(), lang: (language != Language::Fr).then_some("fr") },
        }
    }

    /// Each message of a list in `language`; the French texts, marked,
    /// when the messages do not match them one for one (a stored result
    /// older than the messages).
    pub fn list(messages: &[Message], french: &[String], language: Language) -> Vec<EngineText> {
        if messages.len() == french.len() {
            messages
                .iter()
                .map(|message| EngineText { text: render(message, language), lang: None })
                .collect()
        } else {
            french.iter().map(|text| EngineText::of(None, text, language)).collect()
        }
    }
}

/// `message` in `language`, or `french` without one (for plain text such
/// as CSV, where nothing can be marked).
pub fn plain(message: Option<&Message>, french: &str, language: Language) -> String {
    message.map_or_else(|| french.to_owned(), |message| render(message, language))
}

/// The messages of a list in `language`, or the French texts when they do
/// not match one for one.
pub fn plain_list(messages: &[Message], french: &[String], language: Language) -> Vec<String> {
    EngineText::list(messages, french, language).into_iter().map(|text| text.text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_reads_in_german_with_its_conditions_joined() {
        let unmet = Message::new(MessageCode::ConditionMaxInsufficientPartsListed)
            .with("count", "2")
            .with("pass", "4.0")
            .with("max", "1")
            .with_list(
                "parts",
                vec![
                    Message::new(MessageCode::PartGrade).with("part", "1").with("grade", "3.5"),
                    Message::new(MessageCode::PartGrade).with("part", "3").with("grade", "3.9"),
                ],
            );
        let failed = Message::new(MessageCode::DecisionFailed)
            .with("grade", "4.1")
            .with_list("conditions", vec![unmet.clone(), unmet]);
        let german = render(&failed, Language::De);
        assert!(german.starts_with("Prüfung nicht bestanden (Gesamtnote 4.1)"), "{german}");
        assert!(german.contains("Prüfungsteil 1: 3.5, Prüfungsteil 3: 3.9"), "{german}");
        assert!(german.contains("; 2 "), "conditions joined by a semicolon: {german}");
        assert!(!german.contains('{'), "{german}");
        // French through the catalogue says what the engine's French says.
        assert_eq!(render(&failed, Language::Fr), failed.french());
    }

    /// The `{name}` placeholders of a catalogue text (a name is a word:
    /// `{"kind": "linear"}` in a problem's text is an example, no
    /// placeholder).
    fn placeholders(text: &str) -> Vec<String> {
        text.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
            .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .collect()
    }

    #[test]
    fn the_french_catalogue_says_what_the_engine_says_for_every_code() {
        for code in MessageCode::ALL {
            let french =
                i18n::lookup(Language::Fr, &key(*code)).unwrap_or_else(|| panic!("{code}: no French text"));
            let message = placeholders(french)
                .iter()
                .fold(Message::new(*code), |message, name| message.with(name, format!("<{name}>")));
            assert_eq!(render(&message, Language::Fr), message.french(), "{code}");
            for language in Language::ALL {
                let text = render(&message, language);
                let unfilled = placeholders(&text);
                assert!(unfilled.is_empty() && !text.contains('⟦'), "{code} in {}: {text}", language.code());
                // Each language names the same arguments.
                if let Some(own) = i18n::lookup(language, &key(*code)) {
                    let mut mine = placeholders(own);
                    let mut french_names = placeholders(french);
                    mine.sort();
                    mine.dedup();
                    french_names.sort();
                    french_names.dedup();
                    assert_eq!(mine, french_names, "{code} in {}", language.code());
                }
            }
        }
    }

    #[test]
    fn a_result_without_messages_shows_its_french_text_marked() {
        let shown = EngineText::of(None, "examen réussi", Language::De);
        assert_eq!(shown, EngineText { text: "examen réussi".to_owned(), lang: Some("fr") });
        assert_eq!(EngineText::of(None, "examen réussi", Language::Fr).lang, None);
        let list = EngineText::list(&[], &["aucune évaluation saisie".to_owned()], Language::De);
        assert_eq!(list[0].lang, Some("fr"));
    }

    #[test]
    fn a_problem_reads_in_german_with_its_nested_names() {
        let blank =
            Message::new(MessageCode::Blank).with_message("what", Message::new(MessageCode::FieldCaseTitle));
        assert_eq!(render(&blank, Language::De), "der Titel des Falls ist leer");
        assert_eq!(render(&blank, Language::Fr), "le titre du cas est vide");
        let types = Message::new(MessageCode::SchemaType)
            .with_list(
                "expected_types",
                vec![Message::new(MessageCode::JsonTypeInteger), Message::new(MessageCode::JsonTypeString)],
            )
            .with_message("found", Message::new(MessageCode::JsonTypeArray));
        assert_eq!(
            render(&types, Language::De),
            "falscher Typ: erwartet eine ganze Zahl oder ein Text, gefunden eine Liste"
        );
        assert_eq!(render(&types, Language::Fr), types.french());
        let in_session = Message::new(MessageCode::CandidateNumberTwice)
            .with("number", "12")
            .in_document(Message::new(MessageCode::DocumentSession));
        assert_eq!(
            render(&in_session, Language::It),
            "sessione: il numero di candidato/a 12 figura due volte"
        );
    }
}
