//! The translation note an exam document may carry (`translation`): who
//! translated its texts into German or Italian and whether the board has
//! checked them. Its checks of meaning are shared by every document kind.

use crate::message::{Message, MessageCode};
use grille_competence::{Problem, TranslationNote, Translations};

use crate::decimal::check_not_blank;

/// The notes of `translation` with their language codes, German first.
pub(crate) fn notes(
    translation: Option<&Translations>,
) -> impl Iterator<Item = (&'static str, &TranslationNote)> {
    translation
        .into_iter()
        .flat_map(|translation| [("de", translation.de.as_ref()), ("it", translation.it.as_ref())])
        .filter_map(|(code, note)| note.map(|note| (code, note)))
}

/// The problems of a document's translation note. `has_assumptions` tells
/// whether the document kind has assumptions to translate (blueprints and
/// grading schemes); a list of translated assumptions of another length
/// than the French is allowed (the pages then show the French ones), so
/// that editing the French never makes a document invalid.
pub(crate) fn check(problems: &mut Vec<Problem>, translation: Option<&Translations>, has_assumptions: bool) {
    for (code, note) in notes(translation) {
        let base = format!("/translation/{code}");
        check_not_blank(problems, &format!("{base}/by"), &note.by, MessageCode::FieldTranslationBy);
        if !has_assumptions && !note.assumptions.is_empty() {
            problems.push(Problem::new(
                format!("{base}/assumptions"),
                Message::new(MessageCode::TranslationNoAssumptions),
            ));
        }
        for (index, assumption) in note.assumptions.iter().enumerate() {
            check_not_blank(
                problems,
                &format!("{base}/assumptions/{index}"),
                assumption,
                MessageCode::FieldTranslatedAssumption,
            );
        }
        if let Some(source) = &note.source {
            check_not_blank(problems, &format!("{base}/source/id"), &source.id, MessageCode::FieldSourceId);
            check_not_blank(
                problems,
                &format!("{base}/source/version"),
                &source.version,
                MessageCode::FieldSourceVersion,
            );
        }
    }
}
