//! The API's own sentences carry a code: a problem of a field (session
//! creation, the board's identity, the password rules, an e-mail address,
//! a self-assessment) has its `code` and `args` beside the French `detail`
//! it always had; a refusal or conflict said by a message, and every
//! generic problem (a body that is not JSON, a wrong method, a bad query
//! string, a thing not found), has a stable code too. Each code reads in
//! German through the catalogue, and in French as the API's sentence.

use std::collections::BTreeMap;

use axum::http::Method;
use grille_report::i18n::Language;
use serde_json::{Value, json};

use crate::support::{Answer, spawn_app};
use crate::workflow::send_json;

/// A field's problem in `language`, from its code and text arguments.
fn field_text(error: &Value, language: Language) -> String {
    let code: grille_scoring::MessageCode =
        serde_json::from_value(error["code"].clone()).unwrap_or_else(|_| panic!("no code: {error:#}"));
    let mut message = grille_scoring::Message::new(code);
    for (name, value) in error["args"].as_object().cloned().unwrap_or_default() {
        message = message.with(&name, value.as_str().unwrap_or_default());
    }
    grille_report::messages::render(&message, language)
}

/// A problem's own code in `language`.
fn problem_text(problem: &Value, language: Language) -> String {
    let code = problem["code"].as_str().unwrap_or_else(|| panic!("no code: {problem:#}"));
    let args: BTreeMap<String, String> = problem["args"]
        .as_object()
        .map(|args| {
            args.iter()
                .map(|(name, value)| (name.clone(), value.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    grille_report::refusals::render(code, &args, language).unwrap_or_else(|| panic!("{code} not said"))
}

/// Every error of a 422 at `pointer`: its code, its French detail as the
/// French catalogue says it, and the German text `german`.
fn check_field(answer: &Answer, pointer: &str, code: &str, german: &str) {
    let problem = answer.problem(422, pointer);
    let errors = problem["errors"].as_array().cloned().unwrap_or_default();
    let error = errors
        .iter()
        .find(|error| error["pointer"] == pointer)
        .unwrap_or_else(|| panic!("{pointer} not in {problem:#}"));
    assert_eq!(error["code"], code, "{pointer}: {error:#}");
    assert_eq!(
        error["detail"].as_str().unwrap_or_default(),
        field_text(error, Language::Fr),
        "{pointer}: the French detail is the catalogue's French text"
    );
    let text = field_text(error, Language::De);
    assert_eq!(text, german, "{pointer}");
    assert!(!text.contains(" : ") && !text.contains('⟦'), "{pointer}: {text}");
}

#[tokio::test]
async fn field_problems_of_the_api_carry_a_code_said_in_german() {
    let app = spawn_app();
    let admin = app.admin().await;
    let bearer = admin.bearer();

    // Session creation: the name and the date.
    let created =
        app.post_json("/api/sessions", &bearer, &json!({"name": " ", "exam_date": "31.12.2027"})).await;
    check_field(
        &created,
        "/name",
        "session_create.name_length",
        "Der Name muss 1 bis 200 Zeichen lang sein.",
    );
    check_field(
        &created,
        "/exam_date",
        "session_create.exam_date_form",
        "Datum im Format JJJJ-MM-TT erwartet.",
    );

    // The board's identity: signatories, canton, postal days, a control
    // character.
    let four = json!({"name": "N", "function": "F"});
    let identity = json!({
        "name": "x",
        "signatories": [four, four, four, four],
        "canton": "XY",
        "postal_days": 30,
        "seat": "a\u{7}"
    });
    let answer = send_json(&app, Method::PUT, "/api/board/identity", &bearer, &identity, None).await;
    check_field(
        &answer,
        "/signatories",
        "identity.signatories_too_many",
        "Höchstens 3 Unterzeichnende (4 erhalten).",
    );
    check_field(
        &answer,
        "/canton",
        "input.canton_unknown",
        "«XY» ist kein Kanton: amtliche Abkürzung mit zwei Buchstaben (BE, ZH, VD…).",
    );
    check_field(&answer, "/postal_days", "identity.postal_days", "0 bis 14 Tage.");
    check_field(&answer, "/seat", "input.control_character", "Steuerzeichen sind nicht zulässig.");

    // The password rules.
    let user = json!({"username": "lea", "password": "court", "role": "examiner"});
    let answer = app.post_json("/api/users", &bearer, &user).await;
    check_field(
        &answer,
        "/password",
        "password.too_short",
        "Das Passwort muss mindestens 12 Zeichen lang sein.",
    );

    // An account of a role that needs a school.
    let trainer = json!({"username": "lea-f", "password": "Soleil-sur-le-Jura-2027", "role": "trainer"});
    let answer = app.post_json("/api/users", &bearer, &trainer).await;
    check_field(
        &answer,
        "/school_id",
        "account.trainer_needs_school",
        "Ausbildner/innen gehören zu einer Schule.",
    );

    // An e-mail address.
    let answer =
        send_json(&app, Method::PUT, "/api/users/expert/email", &bearer, &json!({"email": "a@b"}), None)
            .await;
    check_field(
        &answer,
        "/email",
        "account.email_invalid",
        "«a@b» ist keine E-Mail-Adresse (name@domain.ch).",
    );
}

#[tokio::test]
async fn refusals_and_generic_problems_carry_a_code_said_in_german() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    // (what, answer, status, code, args, German text)
    let rows: Vec<(&str, Answer, u16, &str, Value, &str)> = vec![
        (
            "a self-assessment asked by the board",
            app.get("/api/me/self-assessment", &admin).await,
            403,
            "self_assessment.candidate_only",
            json!({}),
            "Nur ein Konto einer Kandidatin oder eines Kandidaten hat eine gespeicherte Selbsteinschätzung.",
        ),
        (
            "malformed JSON",
            app.post_raw("/api/sessions", &admin, "application/json", "{\"name\": ").await,
            400,
            "request.malformed_json",
            json!({"line": "1", "column": "9"}),
            "Fehlerhaftes JSON (Zeile 1, Spalte 9).",
        ),
        (
            "a session that does not exist",
            app.get("/api/sessions/999999", &admin).await,
            404,
            "request.not_found",
            json!({"what": "Session d'examen"}),
            "Prüfungssession: nicht gefunden.",
        ),
        (
            "a wrong method",
            app.send(Method::DELETE, "/api/catalogue", &admin, None, Vec::new()).await,
            405,
            "request.method",
            json!({}),
            "Diese Adresse akzeptiert diese HTTP-Methode nicht.",
        ),
        (
            "a bad query parameter",
            app.get("/api/audit?limit=many", &admin).await,
            400,
            "request.bad_query_parameter",
            json!({"parameter": "limit"}),
            "Der Parameter «limit» fehlt oder hat einen ungültigen Wert.",
        ),
    ];
    for (what, answer, status, code, args, german) in rows {
        let problem = answer.problem(status, what);
        assert_eq!(problem["code"], code, "{what}: {problem:#}");
        assert_eq!(problem.get("args").cloned().unwrap_or(json!({})), args, "{what}: {problem:#}");
        assert!(problem["detail"].as_str().is_some_and(|detail| !detail.is_empty()), "{what}");
        assert_eq!(problem_text(problem, Language::De), german, "{what}");
        let italian = problem_text(problem, Language::It);
        assert!(
            !italian.contains('⟦') && italian != problem_text(problem, Language::Fr),
            "{what}: {italian}"
        );
    }
}
