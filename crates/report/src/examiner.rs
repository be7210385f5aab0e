//! The pages of the login and of the examiner's journey: the login form,
//! one's own space, the list of assigned candidates, the scoring form of a
//! position and the side-by-side comparison with the agreed evaluation.
//!
//! The web crate assembles each page's view (from the API's answers) as a
//! JSON value; this module only renders it with the page layout, so that
//! every string still comes from the translation catalogue.

use minijinja::Environment;
use minijinja::value::Value;

use crate::i18n::Language;
use crate::templates::{PageError, render};

/// The pages of this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The login form.
    Login,
    /// One's own space (roles without pages yet).
    Account,
    /// Changing one's own password.
    Password,
    /// One's login sessions and second factor.
    Security,
    /// The board's list of accounts and what it does with them.
    Users,
    /// A file of accounts: its problems, or what it creates, or the
    /// accounts created with their temporary passwords.
    UsersImport,
    /// A refusal or an error, with its explanation.
    Error,
    /// The examiner's candidates.
    Candidates,
    /// The scoring form of a position.
    Form,
    /// Both evaluations side by side and the agreed evaluation.
    Comparison,
    /// The examiner's declarations of conflicts of interest.
    Conflicts,
    /// The arbiter's page: both evaluations side by side and their own.
    Arbitration,
}

impl Page {
    fn template(self) -> (&'static str, &'static str) {
        match self {
            Page::Login => ("auth_login.html", "login"),
            Page::Account => ("auth_account.html", "account"),
            Page::Password => ("auth_password.html", "password"),
            Page::Security => ("account_security.html", "security"),
            Page::Users => ("board_users.html", "board_users"),
            Page::UsersImport => ("board_users_import.html", "board_users_import"),
            Page::Error => ("examiner_error.html", "error"),
            Page::Candidates => ("examiner_candidates.html", "examiner_candidates"),
            Page::Form => ("examiner_form.html", "examiner_form"),
            Page::Comparison => ("examiner_comparison.html", "examiner_comparison"),
            Page::Conflicts => ("examiner_conflicts.html", "examiner_conflicts"),
            Page::Arbitration => ("examiner_arbitration.html", "examiner_arbitration"),
        }
    }
}

/// Renders `page` with its `view` (a JSON object; `account` holds the
/// logged-in user's `username`, `home` and `csrf` when there is one).
pub fn render_page(
    environment: &Environment<'_>,
    page: Page,
    view: &impl serde::Serialize,
    language: Language,
) -> Result<String, PageError> {
    let (template, name) = page.template();
    render(environment, template, language, name, Value::from(minijinja::value::Serde(view)))
}

/// Renders `page` with a typed view (its fields are the template's).
pub fn render_view(
    environment: &Environment<'_>,
    page: Page,
    view: &impl serde::Serialize,
    language: Language,
) -> Result<String, PageError> {
    let (template, name) = page.template();
    render(environment, template, language, name, Value::from(minijinja::value::Serde(view)))
}

/// The translation key of a role's name (`admin`, `examiner`, ...).
pub fn role_key(role: &str) -> &'static str {
    match role {
        "admin" => "login.role.admin",
        "examiner" => "login.role.examiner",
        "trainer" => "login.role.trainer",
        _ => "login.role.candidate",
    }
}

/// What a role can do, as translation keys.
pub fn ability_keys(role: &str) -> &'static [&'static str] {
    match role {
        "admin" => {
            &["login.ability.admin.sessions", "login.ability.admin.progress", "login.ability.admin.finalise"]
        }
        "examiner" => &["login.ability.examiner.score"],
        "trainer" => &["login.ability.trainer.mock"],
        _ => &["login.ability.candidate.results"],
    }
}

/// The translation key of a session's workflow state.
pub fn session_state_key(state: &str) -> &'static str {
    match state {
        "enrolment" => "examiner.session_state.enrolment",
        "finalised" => "examiner.session_state.finalised",
        "published" => "examiner.session_state.published",
        _ => "examiner.session_state.scoring",
    }
}

/// Every key the code of the web crate passes to templates, for the test
/// that every key exists in every language.
pub const CODE_KEYS: [&str; 87] = [
    "login.error.code_required",
    "login.error.code_invalid",
    "password.done",
    "password.mismatch",
    "password.wrong_current",
    "password.too_many",
    "login.role.admin",
    "login.role.examiner",
    "login.role.trainer",
    "login.role.candidate",
    "login.ability.admin.sessions",
    "login.ability.admin.progress",
    "login.ability.admin.finalise",
    "login.ability.examiner.score",
    "login.ability.trainer.mock",
    "login.ability.candidate.results",
    "login.error.credentials",
    "login.error.throttled",
    "login.error.csrf",
    "login.error.unavailable",
    "login.logged_out",
    "login.required",
    "examiner.state.not_started",
    "examiner.state.draft",
    "examiner.state.submitted",
    "examiner.state.agreed",
    "examiner.flag.step",
    "examiner.flag.straddle",
    "examiner.comparison.status.none",
    "examiner.comparison.status.agreed",
    "examiner.comparison.status.open",
    "examiner.error.forbidden",
    "examiner.error.not_found",
    "register.accommodation.minutes",
    "register.notice.imported",
    "register.notice.master",
    "register.notice.accommodation",
    "register.error.language",
    "register.error.minutes",
    "register.csv.heading",
    "register.csv.intro",
    "register.csv.columns",
    "register.csv.template",
    "register.csv.preview_title",
    "register.csv.preview_heading",
    "register.csv.ready",
    "register.csv.rows_caption",
    "register.csv.confirm_intro",
    "register.csv.confirm",
    "register.csv.column.family_name",
    "register.csv.column.given_name",
    "register.csv.column.date_of_birth",
    "register.csv.column.place_of_origin",
    "register.csv.column.address",
    "register.csv.column.exam_language",
    "register.csv.column.canton",
    "board.csv.field.date_of_birth",
    "board.csv.field.place_of_origin",
    "board.csv.field.address",
    "board.csv.field.exam_language",
    "board.csv.field.canton",
    "conflicts.reason.trained",
    "conflicts.reason.employs",
    "conflicts.reason.other",
    "conflicts.notice.declared",
    "conflicts.notice.withdrawn",
    "conflicts.error.reason",
    "appeals.csv.number",
    "appeals.csv.received_on",
    "appeals.csv.deadline",
    "appeals.csv.on_time",
    "appeals.csv.status",
    "appeals.csv.decided_on",
    "appeals.csv.corrections",
    "appeals.csv.consultation_requested_on",
    "appeals.csv.consultation_held_on",
    "appeals.on_time.yes",
    "appeals.on_time.late",
    "appeals.on_time.unknown",
    "appeals.status.received",
    "appeals.status.under_review",
    "appeals.status.upheld",
    "appeals.status.partly_upheld",
    "appeals.status.rejected",
    "appeals.status.withdrawn",
    "appeals.notice.saved",
    "appeals.error.status",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n;

    #[test]
    fn code_keys_exist_in_every_shipped_language() {
        let more = [
            "examiner.error.conflict",
            "examiner.error.csrf",
            "examiner.notice.saved",
            "examiner.notice.submitted",
            "examiner.notice.incomplete",
            "examiner.error.missing_answer",
            "examiner.agreed.saved",
            "examiner.not_submitted",
            "examiner.session_state.enrolment",
            "examiner.session_state.scoring",
            "examiner.session_state.finalised",
            "examiner.session_state.published",
        ];
        for language in Language::SHIPPED {
            for key in CODE_KEYS.iter().chain(more.iter()) {
                assert!(
                    i18n::keys(language).any(|known| known == *key),
                    "{key} missing in {}",
                    language.code()
                );
            }
        }
    }

    /// The scoring form with one criterion: a title without German, a
    /// level with German and one without (with markup to escape).
    fn scoring_form(language: Language, rubric_translation: serde_json::Value) -> String {
        let mut view = serde_json::json!({
            "account": {"username": "exp-01", "home": "/examiner", "csrf": "c"},
            "candidate": "2026-001",
            "position": {"id": "1.1", "title": "Rapport"},
            "part": {"id": "1", "title": "Réfléchir"},
            "rubric": {"title": {"fr": "Grille 1.1", "de": "Bewertungsraster 1.1"}, "version": "1.0",
                       "translation": rubric_translation},
            "scale": {"min": "1", "max": "6", "pass_mark": "4", "position_step": "0.5"},
            "preview": {"answered": 0, "total": 1, "points": "0", "max_points": "0", "complete": false,
                        "grade": null, "missing": ["c1"], "unrounded": null, "formula": null},
            "neighbours": {"previous": null, "next": null},
            "case": null, "submission": null, "assessed_total": 1,
            "storage_key": "grille.evaluation.1.2026-001.1.1.exp-01",
            "remark": "", "version": "", "errors": [], "notice": null, "saved_at": null,
            "urls": {"form": "/examiner/x", "api": "/api/x", "comparison": "/examiner/x/comparison"},
            "criteria": [],
        });
        // The form's criteria come with their texts picked for the reader
        // (as the web crate's `form_criteria` picks them).
        let text = |fr: &str, de: Option<&str>| grille_competence::LocalizedText {
            fr: fr.to_owned(),
            de: de.map(str::to_owned),
            it: None,
        };
        let title = text("Situations <de pratique>", None);
        let title = i18n::localized(&title, language);
        let levels: Vec<serde_json::Value> = [("0", text("Générales", Some("Allgemein"))), ("1", text("Concrètes & datées", Some("  ")))]
            .iter()
            .map(|(points, descriptor)| {
                let descriptor = i18n::localized(descriptor, language);
                serde_json::json!({"points": points, "label": format!("{points} pts"), "input_id": format!("c1-{points}"),
                                   "checked": false, "descriptor": descriptor.text, "descriptor_lang": descriptor.lang})
            })
            .collect();
        view["criteria"] = serde_json::json!([{"id": "c1", "title": title.text, "title_lang": title.lang,
                          "weight_label": null, "remark_label": "Remarque c1",
                          "not_assessable_allowed": false, "na_checked": false, "remark": "",
                          "error": null, "left_out": null, "levels": levels}]);
        view["remark_language"] = "fr".into();
        let page = render_page(&crate::templates::environment(), Page::Form, &view, language).unwrap();
        assert!(!page.contains('⟦'), "{page}");
        page
    }

    #[test]
    fn french_shown_for_want_of_a_translation_is_marked_french() {
        let note = serde_json::json!({"de": {"by": "grille", "checked_by_board": false}});
        let german = scoring_form(Language::De, note.clone());
        // Translated: German, unmarked.
        assert!(german.contains(r#"<span class="descriptor">Allgemein</span>"#), "{german}");
        assert!(german.contains("Bewertungsraster 1.1 ("), "{german}");
        // Not translated (missing, or blank): the French, marked and escaped.
        assert!(german.contains(r#"<span lang="fr">Situations &lt;de pratique&gt;</span>"#), "{german}");
        assert!(
            german
                .contains(r#"<span class="descriptor"><span lang="fr">Concrètes &amp; datées</span></span>"#),
            "{german}"
        );
        assert!(!german.contains(r#"<span lang="fr">Générales"#));
        // The rubric says whose translation it is.
        assert!(german.contains(r#"id="rubric-translation""#), "{german}");
        assert!(german.contains("Übersetzung von grille, von der Prüfungskommission noch nicht geprüft"));

        // In French nothing is a fallback and there is no note.
        let french = scoring_form(Language::Fr, note);
        assert!(!french.contains(r#"<span lang="fr">"#), "{french}");
        assert!(french.contains("Situations &lt;de pratique&gt;"));
        assert!(!french.contains(r#"id="rubric-translation""#));

        // A checked translation says so; none without a note.
        let checked = scoring_form(
            Language::De,
            serde_json::json!({"de": {"by": "Prüfungskommission", "checked_by_board": true}}),
        );
        assert!(checked.contains("Übersetzung von Prüfungskommission, von der Prüfungskommission geprüft."));
        let without = scoring_form(Language::De, serde_json::Value::Null);
        assert!(!without.contains(r#"id="rubric-translation""#));
    }

    #[test]
    fn login_and_error_pages_render_with_landmarks_and_labels() {
        let environment = crate::templates::environment();
        for language in [Language::Fr, Language::De] {
            let login = render_page(
                &environment,
                Page::Login,
                &serde_json::json!({"csrf": "x", "next": "/examiner", "username": "",
                                    "message": {"kind": "error", "text": "Trop"}}),
                language,
            )
            .unwrap();
            assert!(!login.contains('⟦'), "{login}");
            for needle in
                [r#"<label for="username">"#, r#"<label for="password">"#, "<main", "<nav", r#"name="csrf""#]
            {
                assert!(login.contains(needle), "{needle} missing");
            }
            let account = render_page(
                &environment,
                Page::Account,
                &serde_json::json!({"account": {"username": "admin", "home": "/account", "csrf": "c"},
                                    "role_key": role_key("admin"), "abilities": ability_keys("admin")}),
                language,
            )
            .unwrap();
            assert!(!account.contains('⟦'), "{account}");
            assert!(account.contains(r#"id="logout""#));
        }
    }
}
