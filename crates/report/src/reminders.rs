//! The reminder an examiner gets from the board while the scoring runs:
//! what they still owe, one line per candidate position, and the message
//! around it. The page shows it to copy and the server sends it by e-mail,
//! in the same words (one function for both).

use crate::i18n::{self, Language};

/// What an examiner still owes on one candidate's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owed {
    /// The evaluation is not started.
    Missing,
    /// A draft is saved, not submitted.
    Draft,
    /// Both submitted, their grades differ: a joint evaluation to agree.
    Discrepancy,
}

impl Owed {
    /// The locale key of the line.
    pub fn key(self) -> &'static str {
        match self {
            Owed::Missing => "board.reminder.item.missing",
            Owed::Draft => "board.reminder.item.draft",
            Owed::Discrepancy => "board.reminder.item.discrepancy",
        }
    }
}

/// One line of a reminder, in `language`.
pub fn item(language: Language, owed: Owed, number: &str, position: &str, partners: &[String]) -> String {
    i18n::format(
        &i18n::translate(language, owed.key()),
        &[("number", number.to_owned()), ("position", position.to_owned()), ("partner", partners.join(", "))],
    )
}

/// The whole message to `examiner` for the session `session`, its lines
/// from [`item`].
pub fn message(language: Language, examiner: &str, session: &str, items: &[String]) -> String {
    let lines: Vec<String> = items.iter().map(|item| format!("– {item}")).collect();
    i18n::format(
        &i18n::translate(language, "board.reminder.message"),
        &[
            ("examiner", examiner.to_owned()),
            ("session", session.to_owned()),
            ("count", items.len().to_string()),
            ("items", lines.join("\n")),
        ],
    )
}

/// The e-mail's subject.
pub fn subject(language: Language, session: &str) -> String {
    i18n::format(
        &i18n::translate(language, "board.reminder.mail.subject"),
        &[("session", session.to_owned())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_lists_each_line_in_the_reader_language() {
        let partners = vec!["exp-02".to_owned()];
        let items = vec![
            item(Language::De, Owed::Draft, "2026-001", "1.1", &[]),
            item(Language::De, Owed::Discrepancy, "2026-002", "2.1", &partners),
        ];
        let text = message(Language::De, "exp-01", "Prüfung 2026", &items);
        assert!(text.contains("exp-01") && text.contains("Prüfung 2026"), "{text}");
        assert!(text.contains("– 2026-001") && text.contains("exp-02"), "{text}");
        assert!(!text.contains('{'), "every argument filled: {text}");
        assert!(subject(Language::Fr, "Session 2026").contains("Session 2026"));
    }
}
