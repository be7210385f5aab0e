//! The rules every new password must follow, after NIST SP 800-63B
//! (§ 3.1.1.2, memorized secrets): a minimum length and a generous
//! maximum, no composition rules (no "one digit, one capital"), no
//! password that is the username or contains it, and no password found in
//! lists of common or breached passwords. The last check is zxcvbn's: it
//! ships frequency lists of common passwords, words, names and keyboard
//! patterns and estimates how many guesses a password takes; a score below
//! 3 (10⁸ guesses or fewer) is refused.
//!
//! Passwords are compared and hashed in Unicode normal form C
//! ([`normalize`]), so that a password typed as "é" (U+00E9) and as "e" +
//! U+0301 is the same password; lengths are counted in characters of that
//! form, not in bytes.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization as _, is_nfc_quick};
use zxcvbn::{Score, zxcvbn};

use grille_scoring::{Message, MessageCode};

use crate::error::FieldError;

/// The fewest characters a password may have.
pub const MIN_CHARS: usize = 12;
/// The most characters a password may have (long passphrases are welcome;
/// the bound keeps hashing and checking cheap).
pub const MAX_CHARS: usize = 128;
/// The lowest zxcvbn score accepted: 3 is "safely unguessable: moderate
/// protection from an offline slow-hash scenario" (more than 10⁸ guesses).
pub const MIN_SCORE: Score = Score::Three;

/// The message for a password shorter than [`MIN_CHARS`].
pub const TOO_SHORT: MessageCode = MessageCode::PasswordTooShort;
/// The message for a password longer than [`MAX_CHARS`].
pub const TOO_LONG: MessageCode = MessageCode::PasswordTooLong;
/// The message for a password that is or contains the username.
pub const HAS_USERNAME: MessageCode = MessageCode::PasswordHasUsername;
/// The message for a common or easily guessed password.
pub const TOO_COMMON: MessageCode = MessageCode::PasswordTooCommon;

/// The password in Unicode normal form C (borrowed when it already is).
pub fn normalize(password: &str) -> Cow<'_, str> {
    match is_nfc_quick(password.chars()) {
        IsNormalized::Yes => Cow::Borrowed(password),
        _ => Cow::Owned(password.nfc().collect()),
    }
}

/// The problems of `password` as a new password of `username`, each at
/// `pointer` (`/password`, `/new_password`); empty when it is accepted.
/// At most one problem is given, the first of: length, username, guessable.
pub fn password_policy(username: &str, password: &str, pointer: &str) -> Vec<FieldError> {
    match problem(username, password) {
        Some(code) => vec![FieldError::said_at(pointer, Message::new(code))],
        None => Vec::new(),
    }
}

fn problem(username: &str, password: &str) -> Option<MessageCode> {
    let password = normalize(password);
    let length = password.chars().count();
    if length < MIN_CHARS {
        return Some(TOO_SHORT);
    }
    if length > MAX_CHARS {
        return Some(TOO_LONG);
    }
    let username = username.trim().to_lowercase();
    let lowered = password.to_lowercase();
    if !username.is_empty()
        && (lowered == username || (username.chars().count() >= 4 && lowered.contains(&username)))
    {
        return Some(HAS_USERNAME);
    }
    if zxcvbn(&password, &[username.as_str()]).score() < MIN_SCORE {
        return Some(TOO_COMMON);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_form_c_is_borrowed_when_already_there() {
        assert!(matches!(normalize("café"), Cow::Borrowed(_)));
        assert_eq!(normalize("cafe\u{301}"), "caf\u{e9}");
    }

    #[test]
    fn the_demo_password_is_accepted() {
        for username in ["exp-01", "formatrice-demo", "candidat-demo", "candidat-ecole-demo"] {
            assert_eq!(problem(username, crate::DEMO_PASSWORD), None, "{username}");
        }
    }
}
