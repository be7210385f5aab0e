//! The API's refusals in the reader's language: a refusal of the workflow
//! (`grille_workflow::Denial`, codes `denial.*`) and a conflict with a
//! concurrent change (`conflict.*`) come out of the API as a stable code
//! and its arguments beside the French `detail`; this module says the code through the
//! catalogue, whose key is the code itself and whose French text is
//! exactly the API's sentence (a test checks every code).
//!
//! An argument named `state` is a session's stored state (`finalised`):
//! it is shown as that state's label in the reader's language
//! (`examiner.session_state.<state>`).

use std::collections::BTreeMap;

use grille_scoring::MessageCode;
use grille_workflow::Denial;

use crate::i18n::{self, Language};

/// The conflicts the API answers with a code (a concurrent change, a
/// locked thing), beside the workflow's refusals.
pub const CONFLICT_CODES: [&str; 10] = [
    "conflict.stale_version",
    "conflict.session_locked",
    "conflict.locked",
    "conflict.state_changed",
    "conflict.proposal_open",
    "conflict.proposal_decided",
    "conflict.exists",
    "conflict.in_use",
    "conflict.not_submitted",
    "conflict.agreed_depends",
];

/// The generic codes of the API's problems (a body that is not JSON, a
/// bad query string, a missing thing, a plain conflict, ...): every
/// problem without a more precise code carries one of them.
pub const REQUEST_CODES: [&str; 27] = [
    "request.malformed",
    "request.malformed_json",
    "request.media_type",
    "request.too_large",
    "request.file_too_large",
    "request.invalid",
    "request.bad_path",
    "request.bad_query",
    "request.bad_query_parameter",
    "request.if_match_invalid",
    "request.unauthenticated",
    "request.bad_credentials",
    "request.wrong_password",
    "request.second_factor_required",
    "request.second_factor_invalid",
    "request.second_factor_setup",
    "request.forbidden",
    "request.denied",
    "request.if_match_required",
    "request.csrf",
    "request.method",
    "request.not_found",
    "request.conflict",
    "request.too_many_attempts",
    "request.busy",
    "request.unavailable",
    "request.internal",
];

/// The things the API says it did not find (the French name it sends as
/// the argument `what` of `request.not_found`), with the catalogue key of
/// each name.
pub const ENTITIES: [(&str, &str); 26] = [
    ("Candidat·e", "entity.candidate"),
    ("Point d'appréciation", "entity.position"),
    ("Résultat", "entity.result"),
    ("Évaluation", "entity.evaluation"),
    ("Évaluation commune", "entity.agreed_evaluation"),
    ("Travail remis", "entity.submission"),
    ("Session d'examen", "entity.session"),
    ("Annexe", "entity.attachment"),
    ("Étude de cas", "entity.case"),
    ("Utilisateur", "entity.user"),
    ("Plan de développement", "entity.plan"),
    ("Logo", "entity.logo"),
    ("Déclaration", "entity.declaration"),
    ("Document", "entity.document"),
    ("École", "entity.school"),
    ("Second facteur", "entity.second_factor"),
    ("Inscription de second facteur en cours", "entity.second_factor_enrolment"),
    ("Ressource", "entity.resource"),
    ("Recours", "entity.appeal"),
    ("Compétence", "entity.competence"),
    ("Inscription", "entity.enrolment"),
    ("Expert·e", "entity.examiner"),
    ("Document de session", "entity.session_document"),
    ("Session de connexion", "entity.login_session"),
    ("Proposition de correction", "entity.correction_proposal"),
    ("Élément", "entity.element"),
];

/// Every code this module says: the workflow's refusals, the coded
/// conflicts and the generic codes of the API's problems. (A date that
/// cannot be read is a problem of a field, said as a message:
/// `problem.date.*`; a conflict or refusal said by a message has its
/// message's code, said through `problem.<code>`.)
pub fn codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = Denial::examples().iter().map(Denial::code).collect();
    codes.extend(CONFLICT_CODES);
    codes.extend(REQUEST_CODES);
    codes
}

/// The catalogue keys of the session states an argument `state` names.
fn state_keys() -> impl Iterator<Item = &'static str> {
    grille_workflow::SessionState::ALL
        .into_iter()
        .map(|state| crate::examiner::session_state_key(state.as_str()))
}

/// Every key this module reads, for the test that every key exists in
/// every shipped language.
pub fn code_keys() -> Vec<&'static str> {
    let mut keys = codes();
    keys.extend(state_keys());
    keys.extend(LOGIN_REFUSALS.iter().map(|(_, key)| *key));
    keys.extend(ENTITIES.iter().map(|(_, key)| *key));
    keys
}

/// The refusal `code` with its `args` in `language`; `None` for a code
/// this module does not know (the caller shows the API's French detail).
pub fn render(code: &str, args: &BTreeMap<String, String>, language: Language) -> Option<String> {
    if !codes().contains(&code) {
        return said_by_message(code, args, language);
    }
    let template = i18n::lookup(language, code)?;
    let filled: Vec<(&str, String)> = args
        .iter()
        .map(|(name, value)| {
            let shown = match name.as_str() {
                "state" => grille_workflow::SessionState::parse(value)
                    .map(|state| {
                        i18n::translate(language, crate::examiner::session_state_key(state.as_str()))
                    })
                    .unwrap_or_else(|| value.clone()),
                "what" => ENTITIES
                    .iter()
                    .find(|(french, _)| french == value)
                    .map_or_else(|| value.clone(), |(_, key)| i18n::translate(language, key)),
                _ => value.clone(),
            };
            (name.as_str(), shown)
        })
        .collect();
    Some(i18n::format(template, &filled))
}

/// A conflict or refusal said by a message: its code is a problem's
/// (`problem.<code>`), its arguments texts.
fn said_by_message(code: &str, args: &BTreeMap<String, String>, language: Language) -> Option<String> {
    let code: MessageCode = serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()?;
    if !code.is_problem() {
        return None;
    }
    let mut message = grille_scoring::Message::new(code);
    for (name, value) in args {
        message = message.with(name, value.clone());
    }
    Some(crate::messages::render(&message, language))
}

/// A workflow refusal in `language`.
pub fn denial(denial: &Denial, language: Language) -> String {
    let args = denial.args().into_iter().map(|(name, value)| (name.to_owned(), value)).collect();
    render(denial.code(), &args, language).unwrap_or_else(|| denial.message_fr())
}

/// The problems of an examiner's form a script says itself, by their
/// code (`problem.<code>` in the catalogue): their arguments are texts.
pub const FORM_PROBLEMS: [MessageCode; 10] = [
    MessageCode::ExamUnknownCriterion,
    MessageCode::ExamDuplicate,
    MessageCode::ExamPointsOnLeftOut,
    MessageCode::ExamPointsAndNotAssessable,
    MessageCode::ExamNotAssessableRefused,
    MessageCode::ExamNoSuchLevel,
    MessageCode::ExamUnanswered,
    MessageCode::ExamPointsUnreadable,
    MessageCode::ExamRemarkTooLong,
    MessageCode::TextTooLong,
];

/// The refusals of a login a script says itself, by the problem's type,
/// with the catalogue key of each.
pub const LOGIN_REFUSALS: [(&str, &str); 4] = [
    ("urn:grille:bad-credentials", "login.error.credentials"),
    ("urn:grille:second-factor-required", "login.error.code_required"),
    ("urn:grille:second-factor-invalid", "login.error.code_invalid"),
    ("urn:grille:too-many-attempts", "login.error.throttled"),
];

/// The texts a page's script needs to say a refusal itself, as JSON: each
/// code's text in `language` (with its `{name}` placeholders), the label
/// of each session state under `state.<name>`, the problems of a form
/// under their code (`exam.unanswered`, see [`FORM_PROBLEMS`]) and the
/// refusals of a login under `login.<type>`.
pub fn script_texts(language: Language) -> String {
    let mut texts: BTreeMap<String, String> =
        codes().into_iter().map(|code| (code.to_owned(), i18n::translate(language, code))).collect();
    for state in grille_workflow::SessionState::ALL {
        let label = i18n::translate(language, crate::examiner::session_state_key(state.as_str()));
        texts.insert(format!("state.{}", state.as_str()), label);
    }
    for code in FORM_PROBLEMS {
        texts.insert(code.as_str().to_owned(), i18n::translate(language, &crate::messages::key(code)));
    }
    for (kind, key) in LOGIN_REFUSALS {
        texts.insert(format!("login.{kind}"), i18n::translate(language, key));
    }
    serde_json::to_string(&texts).unwrap_or_else(|_| "{}".to_owned())
}

#[cfg(test)]
mod tests {
    use grille_workflow::{Action, Readiness, SessionState};

    use super::*;

    fn args(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
    }

    #[test]
    fn the_french_text_of_every_refusal_is_the_sentence_the_api_sends() {
        for example in Denial::examples() {
            assert_eq!(denial(&example, Language::Fr), example.message_fr(), "{}", example.code());
        }
        // The conflicts the store raises, as the API words them in French.
        for (code, pairs, sentence) in [
            (
                "conflict.stale_version",
                vec![("current", "7")],
                "Une autre modification a été enregistrée entre-temps (version actuelle 7) ; rechargez.",
            ),
            (
                "conflict.session_locked",
                vec![],
                "Les résultats de la session sont arrêtés : les évaluations ne peuvent plus changer.",
            ),
            ("conflict.locked", vec![], "Cet élément est verrouillé."),
            (
                "conflict.state_changed",
                vec![("state", "scoring")],
                "La session a changé d'état entre-temps (évaluation en cours) ; rechargez.",
            ),
            (
                "conflict.proposal_open",
                vec![],
                "Une correction proposée attend déjà l'approbation pour ce·tte candidat·e : qu'elle soit approuvée, rejetée ou retirée d'abord.",
            ),
            (
                "conflict.proposal_decided",
                vec![],
                "Cette proposition de correction a déjà été tranchée entre-temps ; rechargez.",
            ),
            ("conflict.exists", vec![("what", "Utilisateur")], "Utilisateur existe déjà."),
            (
                "conflict.in_use",
                vec![("what", "École")],
                "École est encore utilisé·e (utilisateurs, sessions ou candidat·e·s) : suppression impossible.",
            ),
            (
                "conflict.not_submitted",
                vec![],
                "Cette évaluation ne peut pas être rouverte : elle n'est pas soumise.",
            ),
            (
                "conflict.agreed_depends",
                vec![],
                "Cette évaluation ne peut pas être rouverte : une évaluation commune du point d'appréciation repose déjà sur elle.",
            ),
        ] {
            assert_eq!(render(code, &args(&pairs), Language::Fr).as_deref(), Some(sentence), "{code}");
        }
    }

    #[test]
    fn a_refusal_reads_in_german_and_italian_with_its_arguments() {
        let wrong = Denial::WrongState { state: SessionState::Finalised, action: Action::SaveOwnEvaluation };
        let german = denial(&wrong, Language::De);
        assert!(german.contains("Noten festgelegt"), "{german}");
        let ready = Denial::NotReady(Readiness { pending_candidates: 2, open_discrepancies: 1, drafts: 3 });
        for language in [Language::De, Language::It] {
            let text = denial(&ready, language);
            assert!(text.contains('2') && text.contains('1') && text.contains('3'), "{text}");
        }
        for code in codes() {
            for language in [Language::De, Language::It] {
                let text = render(code, &args(&[("state", "scoring"), ("text", "x")]), language)
                    .unwrap_or_else(|| panic!("{code}: no text"));
                assert_ne!(text, i18n::translate(Language::Fr, code), "{code} untranslated in {language:?}");
                assert!(!text.contains('⟦'), "{code} in {language:?}: {text}");
            }
        }
        assert_eq!(render("denial.unheard_of", &BTreeMap::new(), Language::De), None);
    }

    #[test]
    fn the_script_texts_name_every_code_and_state() {
        let texts: BTreeMap<String, String> =
            serde_json::from_str(&script_texts(Language::De)).expect("JSON");
        assert_eq!(
            texts.get("denial.locked").map(String::as_str),
            Some("Diese Bewertung ist eingereicht und gesperrt.")
        );
        assert!(texts.contains_key("state.finalised"));
        assert_eq!(
            texts.get("exam.unanswered").map(String::as_str),
            Some("Das Kriterium {criterion} hat keine Antwort.")
        );
        assert_eq!(
            texts.get("login.urn:grille:bad-credentials").map(String::as_str),
            Some("Benutzername oder Passwort ist falsch.")
        );
        assert_eq!(
            texts.len(),
            codes().len() + SessionState::ALL.len() + FORM_PROBLEMS.len() + LOGIN_REFUSALS.len()
        );
    }
}
