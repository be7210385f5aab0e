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

/// The literal pieces (16 characters or more between placeholders) of
/// every French text the API says by a code whose German text differs.
fn french_pieces() -> Vec<String> {
    let mut pieces = Vec::new();
    let keys = grille_report::i18n::keys(Language::Fr).filter(|key| {
        ["problem.", "request.", "denial.", "conflict."].iter().any(|prefix| key.starts_with(prefix))
    });
    for key in keys {
        let french = grille_report::i18n::lookup(Language::Fr, key).unwrap_or_default();
        if grille_report::i18n::lookup(Language::De, key) == Some(french) {
            continue;
        }
        let mut rest = french;
        while !rest.is_empty() {
            let (literal, after) = rest.split_once('{').unwrap_or((rest, ""));
            if literal.trim().chars().count() >= 16 {
                pieces.push(literal.trim().to_owned());
            }
            rest = after.split_once('}').map_or("", |(_, after)| after);
        }
    }
    pieces.sort();
    pieces.dedup();
    pieces
}

/// The coded problem `code` of `answer` in `language`, and its French
/// `detail`: the problem's own code, or one of its `errors`.
fn coded_text(answer: &Answer, code: &str, language: Language) -> (String, String) {
    let body = &answer.body;
    if body["code"] == code {
        return (problem_text(body, language), body["detail"].as_str().unwrap_or_default().to_owned());
    }
    let errors = body["errors"].as_array().cloned().unwrap_or_default();
    let error =
        errors.iter().find(|error| error["code"] == code).unwrap_or_else(|| panic!("{code} not in {body:#}"));
    let message: grille_scoring::Message = serde_json::from_value(
        json!({"code": error["code"], "args": error.get("args").cloned().unwrap_or(json!({}))}),
    )
    .unwrap_or_else(|problem| panic!("{code}: {problem}"));
    (
        grille_report::messages::render(&message, language),
        error["detail"].as_str().unwrap_or_default().to_owned(),
    )
}

/// The refusals that were French-only sentences (account creation, the
/// case and document banks, arbitration, development plans, the
/// register, examiner histories, CSV bytes, the store's conflicts) each
/// carry a code whose French text is the `detail` the API always sent
/// and whose German text has no French left in it.
#[tokio::test]
async fn the_last_french_only_refusals_carry_a_code_said_in_german() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = app.session(&app.admin().await).await;
    let pdf = |text: &str| format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes();
    let mut rows: Vec<(&str, Answer, u16, &str)> = Vec::new();

    // Account creation.
    let user = json!({"username": "A b", "password": "Soleil-sur-le-Jura-2027", "role": "examiner", "candidate_number": "2027-001"});
    let refused = app.post_json("/api/users", &admin, &user).await;
    let again = app.post_json("/api/users", &admin, &user).await;
    rows.push(("a username of the wrong form", refused, 422, "account.username_form"));
    rows.push(("a number on an examiner's account", again, 422, "account.number_role_candidate"));
    let trainer = json!({"username": "lea-f", "password": "Soleil-sur-le-Jura-2027", "role": "trainer", "school_id": 9999});
    rows.push((
        "a school that does not exist",
        app.post_json("/api/users", &admin, &trainer).await,
        422,
        "account.school_id_unknown",
    ));
    let candidate = json!({"username": "kandidatin", "password": "Soleil-sur-le-Jura-2027", "role": "candidate", "candidate_number": "2027-999"});
    rows.push((
        "a number outside the register",
        app.post_json("/api/users", &admin, &candidate).await,
        422,
        "account.number_not_in_register",
    ));
    let disabled =
        send_json(&app, Method::PUT, "/api/users/expert/active", &admin, &json!({"active": false}), None)
            .await;
    assert_eq!(disabled.status.as_u16(), 200, "{:#}", disabled.body);
    let login = json!({"username": "expert", "password": crate::support::EXPERT_PASSWORD});
    rows.push((
        "a disabled account",
        app.post_json("/api/login", &crate::support::Auth::None, &login).await,
        403,
        "account.disabled",
    ));

    let change =
        json!({"current_password": "nicht-das-richtige-123", "new_password": "Soleil-sur-le-Jura-2027"});
    rows.push((
        "a wrong current password",
        send_json(&app, Method::PUT, "/api/me/password", &admin, &change, None).await,
        401,
        "password.current_wrong",
    ));

    // Schools, and the store's conflict of a name taken.
    rows.push((
        "a blank school name",
        app.post_json("/api/schools", &admin, &json!({"name": " "})).await,
        422,
        "school.name_length",
    ));
    let school = json!({"name": "Höhere Fachschule Bern"});
    assert_eq!(app.post_json("/api/schools", &admin, &school).await.status.as_u16(), 201);
    rows.push((
        "a school twice",
        app.post_json("/api/schools", &admin, &school).await,
        409,
        "conflict.exists",
    ));

    // A session without candidates, an examiner's history.
    rows.push((
        "scoring without candidates",
        app.post_json(&format!("/api/sessions/{id}/scoring"), &admin, &json!({})).await,
        409,
        "scoring.no_candidate",
    ));
    rows.push((
        "a session list that is no list",
        app.get("/api/examiners/expert/history?sessions=drei", &admin).await,
        422,
        "examiner_history.session_number",
    ));
    rows.push((
        "a session the examiner never scored",
        app.get("/api/examiners/expert/history?sessions=99", &admin).await,
        422,
        "examiner_history.sessions_none",
    ));

    // Arbiters.
    let arbiters = format!("/api/sessions/{id}/arbiters");
    let unknown_part = send_json(&app, Method::PUT, &arbiters, &admin, &json!({"part": "9"}), None).await;
    rows.push(("an unknown part", unknown_part, 422, "arbitration.part_unknown"));
    let arbiter = json!({"part": "1", "position": "9.9", "examiner": "niemand"});
    for code in
        ["arbitration.part_not_arbitrated", "arbitration.position_unknown", "arbitration.examiner_unknown"]
    {
        rows.push((code, send_json(&app, Method::PUT, &arbiters, &admin, &arbiter, None).await, 422, code));
    }

    // Enrolment, CSV bytes, an e-mail's language.
    let enrol =
        json!({"candidates": [{"number": "2027-001", "family_name": "Muster", "given_name": "Anna"}]});
    let enrolled = app.post_json(&format!("/api/sessions/{id}/candidates"), &admin, &enrol).await;
    assert_eq!(enrolled.status.as_u16(), 201, "{:#}", enrolled.body);
    let preview = format!("/api/sessions/{id}/candidates/csv/preview");
    let workbook =
        app.send(Method::POST, &preview, &admin, Some("text/csv"), b"PK\x03\x04rest".to_vec()).await;
    rows.push(("a workbook", workbook, 422, "csv.decode.workbook"));
    let binary =
        app.send(Method::POST, &preview, &admin, Some("text/csv"), b"nummer;name\n1\x01;x\n".to_vec()).await;
    rows.push(("a control character", binary, 422, "csv.decode.not_text"));
    let temporary = "/api/users/expert/password/temporary";
    rows.push((
        "an e-mail language",
        app.post_json(temporary, &admin, &json!({"delivery": "show", "language": "rm"})).await,
        422,
        "mail.language_unknown",
    ));

    // A development plan.
    let account = json!({"username": "anna-m", "password": "Soleil-sur-le-Jura-2027", "role": "candidate", "candidate_number": "2027-001"});
    assert_eq!(app.post_json("/api/users", &admin, &account).await.status.as_u16(), 201);
    let anna = app.login("anna-m", "Soleil-sur-le-Jura-2027").await.bearer();
    let item = |competence: &str, due: &str| json!({"competence": competence, "goal": "Ziel", "due": due, "progress": "not_started"});
    let plan = json!({"items": [item("Z9", "2027-02-31"), item("A1", "2027-03-01"), item("A1", "2027-03-01")], "shared": false});
    for code in ["plan.competence_unknown", "plan.competence_twice", "plan.due_form"] {
        let answer = send_json(&app, Method::PUT, "/api/me/development-plan", &anna, &plan, None).await;
        rows.push((code, answer, 422, code));
    }

    // The case bank: a case twice, attachments, a state, an import.
    let mut case: Value = serde_json::from_str(grille_scoring::embedded::EXAMPLE_CASES[0].text).unwrap();
    case["id"] = json!("fall-de");
    case["attachments"] = json!([]);
    let created = app.post_json("/api/cases", &admin, &case).await;
    assert_eq!(created.status.as_u16(), 201, "{:#}", created.body);
    let row = created.body["summary"]["id"].as_i64().unwrap();
    rows.push((
        "a case twice",
        app.post_json("/api/cases", &admin, &case).await,
        409,
        "case_bank.version_taken",
    ));
    let mut ghost = case.clone();
    ghost["id"] = json!("fall-geist");
    ghost["attachments"] =
        json!([{"name": "plan.pdf", "media_type": "application/pdf", "sha256": "ab".repeat(32), "size": 5}]);
    rows.push((
        "an attachment never stored",
        app.post_json("/api/cases", &admin, &ghost).await,
        422,
        "case_bank.attachment_not_stored",
    ));
    let version = |answer: &Answer| answer.body["summary"]["row_version"].as_i64().unwrap();
    let attach_uri = format!("/api/cases/{row}/attachments?name=plan.pdf");
    let octets = Some("application/octet-stream");
    let text = app
        .send_with(Method::POST, &attach_uri, &admin, octets, b"kein PDF".to_vec(), Some(version(&created)))
        .await;
    rows.push(("an attachment of no known type", text, 422, "case_bank.file_type_sniffed"));
    let attached =
        app.send_with(Method::POST, &attach_uri, &admin, octets, pdf("Plan"), Some(version(&created))).await;
    assert_eq!(attached.status.as_u16(), 200, "{:#}", attached.body);
    let twice =
        app.send_with(Method::POST, &attach_uri, &admin, octets, pdf("Plan"), Some(version(&attached))).await;
    rows.push(("an attachment twice", twice, 409, "case_bank.already_attached"));
    let mut edited = attached.body["case"].clone();
    edited["attachments"][0]["sha256"] = json!("cd".repeat(32));
    rows.push((
        "an edit naming a file not attached",
        send_json(&app, Method::PUT, &format!("/api/cases/{row}"), &admin, &edited, Some(version(&attached)))
            .await,
        422,
        "case_bank.attachment_not_attached",
    ));
    rows.push((
        "draft to released",
        send_json(
            &app,
            Method::POST,
            &format!("/api/cases/{row}/state"),
            &admin,
            &json!({"state": "released"}),
            Some(version(&attached)),
        )
        .await,
        409,
        "case_bank.state_change",
    ));
    let bundle = app.get(&format!("/api/cases/{row}/export"), &admin).await;
    assert_eq!(bundle.status.as_u16(), 200, "{:#}", bundle.body);
    let mut broken = bundle.body.clone();
    broken["format"] = json!("zip");
    broken["case"]["version"] = json!("import-1");
    broken["files"][0]["base64"] = json!("%%%");
    let import = app.post_json("/api/cases/import", &admin, &broken).await;
    for code in ["case_bank.not_export", "case_bank.base64_unreadable", "case_bank.attachment_missing"] {
        rows.push((
            code,
            Answer { status: import.status, headers: import.headers.clone(), body: import.body.clone() },
            422,
            code,
        ));
    }
    let mut broken = bundle.body.clone();
    broken["case"]["version"] = json!("import-2");
    broken["files"][0]["sha256"] = json!("0".repeat(64));
    rows.push((
        "a wrong hash",
        app.post_json("/api/cases/import", &admin, &broken).await,
        422,
        "case_bank.sha256_mismatch",
    ));
    let mut broken = bundle.body.clone();
    broken["case"]["version"] = json!("import-3");
    broken["case"]["attachments"][0]["size"] = json!(1);
    rows.push((
        "a size that is not the file's",
        app.post_json("/api/cases/import", &admin, &broken).await,
        422,
        "case_bank.attachment_mismatch",
    ));

    // The document bank.
    let next = "/api/documents/next-year";
    rows.push((
        "a blank version",
        app.post_json(next, &admin, &json!({"version": " "})).await,
        422,
        "document_bank.version_form",
    ));
    rows.push((
        "a session that does not exist",
        app.post_json(next, &admin, &json!({"version": "2028", "from_session": 99999})).await,
        422,
        "document_bank.session_unknown",
    ));
    let copied = app.post_json(next, &admin, &json!({"version": "2028"})).await;
    assert_eq!(copied.status.as_u16(), 201, "{:#}", copied.body);
    rows.push((
        "next year twice",
        app.post_json(next, &admin, &json!({"version": "2028"})).await,
        409,
        "document_bank.versions_taken",
    ));
    let created = copied.body["created"].as_array().cloned().unwrap_or_default();
    let of_kind = |kind: &str| {
        created
            .iter()
            .find(|document| document["kind"] == kind)
            .and_then(|document| document["id"].as_i64())
            .unwrap()
    };
    let rubric = app.get(&format!("/api/documents/{}", of_kind("rubric")), &admin).await;
    let document = rubric.body["document"].clone();
    let previewed = |scheme: i64| json!({"kind": "rubric", "document": document, "scheme": scheme});
    rows.push((
        "a scheme not in the bank",
        app.post_json("/api/documents/preview", &admin, &previewed(99999)).await,
        422,
        "document_bank.scheme_unknown",
    ));
    rows.push((
        "a blueprint as the scheme",
        app.post_json("/api/documents/preview", &admin, &previewed(of_kind("blueprint"))).await,
        422,
        "document_bank.not_scheme",
    ));
    rows.push((
        "used by hand",
        send_json(
            &app,
            Method::POST,
            &format!("/api/documents/{}/state", of_kind("rubric")),
            &admin,
            &json!({"state": "used"}),
            Some(version(&rubric)),
        )
        .await,
        422,
        "document_bank.used_by_hand",
    ));
    rows.push((
        "a rubric twice",
        app.post_json(
            "/api/documents",
            &admin,
            &json!({"kind": "rubric", "document": rubric.body["document"]}),
        )
        .await,
        409,
        "document_bank.version_taken",
    ));

    let pieces = french_pieces();
    assert!(pieces.len() > 100, "too few French pieces: {}", pieces.len());
    for (what, answer, status, code) in &rows {
        answer.problem(*status, what);
        let (german, detail) = coded_text(answer, code, Language::De);
        let (french, _) = coded_text(answer, code, Language::Fr);
        assert_eq!(detail, french, "{what}: the French detail is the code's French text");
        assert_ne!(german, french, "{what}: {code} is not translated");
        let left: Vec<&String> = pieces.iter().filter(|piece| german.contains(piece.as_str())).collect();
        assert!(left.is_empty(), "{what}: French left in «{german}»: {left:?}");
        for mark in [" : ", "« ", " »", "·", "⟦"] {
            assert!(!german.contains(mark), "{what}: «{mark}» in «{german}»");
        }
    }
}

/// A query parameter or an `If-Match` header the API cannot read: the
/// entry of `errors` that names it carries a code (`query.*`,
/// `if_match.*`) and its arguments; its French text is the `detail` the
/// API always sent, word for word, and its German text is German.
#[tokio::test]
async fn a_bad_query_parameter_and_a_malformed_if_match_are_said_in_german_by_their_codes() {
    let app = spawn_app();
    let admin = app.admin().await;
    let bearer = admin.bearer();
    let id = app.session(&admin).await;
    // (request, answer, field, code, French detail, German text)
    let rows: Vec<(&str, Answer, &str, &str, &str, &str)> = vec![
        (
            "a word for a number",
            app.get("/api/audit?limit=many", &bearer).await,
            "limit",
            "query.value_expected",
            "Le paramètre « limit » a une valeur incorrecte (« many ») ; attendu : un entier positif ou nul.",
            "Der Parameter «limit» hat einen ungültigen Wert («many»); erwartet: eine ganze Zahl, mindestens 0.",
        ),
        (
            "a value outside the list",
            app.get(&format!("/api/sessions/{id}/results/csv?layout=row"), &bearer).await,
            "layout",
            "query.value_allowed",
            "Le paramètre « layout » a une valeur incorrecte (« row ») ; valeurs admises : candidate, criterion.",
            "Der Parameter «layout» hat einen ungültigen Wert («row»); zulässige Werte: candidate, criterion.",
        ),
        (
            "a required parameter left out",
            app.get(&format!("/api/sessions/{id}/quality/csv?delimiter=comma"), &bearer).await,
            "table",
            "query.required",
            "Le paramètre « table » est obligatoire.",
            "Der Parameter «table» ist obligatorisch.",
        ),
        (
            "a word as the version",
            crate::input_forms::with_if_match(
                &app,
                Method::PUT,
                "/api/me/self-assessment",
                &admin.token,
                "latest",
                json!({"ratings": {}}),
            )
            .await,
            "If-Match",
            "if_match.form",
            "L'en-tête If-Match doit contenir la version reçue dans l'ETag, p. ex. \"3\" (reçu : latest).",
            "Der Header If-Match muss die im ETag erhaltene Version enthalten, z. B. \"3\" (erhalten: latest).",
        ),
    ];
    let pieces = french_pieces();
    for (what, answer, field, code, french, german) in &rows {
        let problem = answer.problem(400, what);
        assert_eq!(problem["detail"], *french, "{what}: the French detail as before");
        let errors = problem["errors"].as_array().cloned().unwrap_or_default();
        let entry = errors
            .iter()
            .find(|error| error["field"] == *field)
            .unwrap_or_else(|| panic!("{what}: no entry for {field} in {problem:#}"));
        assert_eq!(entry["code"], *code, "{what}: {entry:#}");
        assert_eq!(entry["detail"], *french, "{what}: the entry's French text");
        let (in_german, detail) = coded_text(answer, code, Language::De);
        let (in_french, _) = coded_text(answer, code, Language::Fr);
        assert_eq!(in_french, detail, "{what}: the code's French text is the detail");
        assert_eq!(in_german, *german, "{what}");
        let left: Vec<&String> = pieces.iter().filter(|piece| in_german.contains(piece.as_str())).collect();
        assert!(left.is_empty(), "{what}: French left in «{in_german}»: {left:?}");
        let italian = coded_text(answer, code, Language::It).0;
        assert!(italian != in_french && !italian.contains('⟦'), "{what}: {italian}");
    }
}

/// Corrections of a finalised result and arbitration, refused with bad
/// input: each refusal carries a code (its own, or one of its `errors`)
/// whose French text is the API's `detail` and whose German text has no
/// French left in it, as the board's and the arbiter's pages say it.
#[tokio::test]
async fn corrections_and_arbitration_refused_with_bad_input_are_said_in_german() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = crate::workflow::prepare_example(&app, &admin).await;
    crate::workflow::score_example(&app, id).await;
    let example = grille_scoring::embedded::example_session().unwrap();
    let scoring = &example.candidates[0].positions[0];
    let answers = serde_json::to_value(&scoring.evaluations[0].answers).unwrap();
    let criterion = answers[0]["criterion"].clone();
    let uri = format!("/api/sessions/{id}/candidates/2026-001/corrections");
    let correction = |reason: &str, answers: &Value| json!({"position": scoring.position, "reason": reason, "evaluation": {"answers": answers}});
    let mut rows: Vec<(&str, Answer, u16, &str)> = Vec::new();

    // Before the results are final, nothing is corrected.
    let early = correction("Recours admis", &answers);
    rows.push((
        "a correction before finalisation",
        send_json(&app, Method::POST, &uri, &admin, &early, Some(1)).await,
        409,
        "denial.wrong_state",
    ));
    let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
    assert_eq!(finalised.status.as_u16(), 200, "{:#}", finalised.body);

    // The correction itself: its reason, its levels, its position, its
    // candidate, its version.
    rows.push((
        "a correction without a reason",
        send_json(&app, Method::POST, &uri, &admin, &correction("  ", &answers), Some(1)).await,
        422,
        "correction.reason_required",
    ));
    let mut beyond = answers.clone();
    beyond[0]["points"] = json!("99");
    rows.push((
        "points that are no level",
        send_json(&app, Method::POST, &uri, &admin, &correction("Recours admis", &beyond), Some(1)).await,
        422,
        "exam.no_such_level",
    ));
    let mut twice = answers.clone();
    twice.as_array_mut().unwrap().push(json!({"criterion": criterion, "points": "0"}));
    rows.push((
        "a criterion answered twice",
        send_json(&app, Method::POST, &uri, &admin, &correction("Recours admis", &twice), Some(1)).await,
        422,
        "exam.duplicate",
    ));
    let mut unknown = answers.clone();
    unknown[0]["criterion"] = json!("k99");
    rows.push((
        "a criterion not in the rubric",
        send_json(&app, Method::POST, &uri, &admin, &correction("Recours admis", &unknown), Some(1)).await,
        422,
        "exam.unknown_criterion",
    ));
    let elsewhere = json!({"position": "9.9", "reason": "Recours admis", "evaluation": {"answers": answers}});
    rows.push((
        "a position that does not exist",
        send_json(&app, Method::POST, &uri, &admin, &elsewhere, Some(1)).await,
        422,
        "sitting.position_unknown",
    ));
    let valid = correction("Recours admis", &answers);
    rows.push((
        "a candidate who is not enrolled",
        send_json(
            &app,
            Method::POST,
            &format!("/api/sessions/{id}/candidates/2026-999/corrections"),
            &admin,
            &valid,
            Some(1),
        )
        .await,
        404,
        "request.not_found",
    ));
    rows.push((
        "a correction without If-Match",
        send_json(&app, Method::POST, &uri, &admin, &valid, None).await,
        428,
        "request.if_match_required",
    ));
    rows.push((
        "a stale result version",
        send_json(&app, Method::POST, &uri, &admin, &valid, Some(9)).await,
        409,
        "conflict.stale_version",
    ));
    rows.push((
        "a proposal that keeps the decision",
        send_json(&app, Method::POST, &format!("{uri}/proposals"), &admin, &valid, Some(1)).await,
        409,
        "correction.keeps_decision",
    ));

    // Four eyes: a correction that turns the pass into a failure.
    let part_two =
        example.candidates[0].positions.iter().find(|position| position.position == "2.1").unwrap();
    let mut zero = serde_json::to_value(&part_two.evaluations[0].answers).unwrap();
    for answer in zero.as_array_mut().unwrap() {
        answer["points"] = json!("0");
    }
    let failing = json!({"position": "2.1", "reason": "Plagiat établi", "evaluation": {"answers": zero}});
    rows.push((
        "a changed decision saved by one board member",
        send_json(&app, Method::POST, &uri, &admin, &failing, Some(1)).await,
        409,
        "denial.second_approval_needed",
    ));
    let proposed =
        send_json(&app, Method::POST, &format!("{uri}/proposals"), &admin, &failing, Some(1)).await;
    assert_eq!(proposed.status.as_u16(), 201, "{:#}", proposed.body);
    let proposal = proposed.body["id"].as_i64().unwrap();
    rows.push((
        "a second open proposal",
        send_json(&app, Method::POST, &format!("{uri}/proposals"), &admin, &failing, Some(1)).await,
        409,
        "conflict.proposal_open",
    ));
    let decide = |step: &str| format!("/api/sessions/{id}/corrections/proposals/{proposal}/{step}");
    rows.push((
        "a proposal approved by its author",
        app.post_json(&decide("approve"), &admin, &json!({})).await,
        409,
        "denial.own_proposal",
    ));
    let created = app
        .post_json(
            "/api/users",
            &admin,
            &json!({"username": "board-2", "password": "Soleil-sur-le-Jura-2027", "role": "admin"}),
        )
        .await;
    assert_eq!(created.status.as_u16(), 201, "{:#}", created.body);
    let second = app.login("board-2", "Soleil-sur-le-Jura-2027").await.bearer();
    rows.push((
        "a rejection without a reason",
        app.post_json(&decide("reject"), &second, &json!({"note": "  "})).await,
        422,
        "correction.reject_reason_required",
    ));
    rows.push((
        "a proposal withdrawn by another board member",
        app.post_json(&decide("withdraw"), &second, &json!({})).await,
        409,
        "denial.own_proposal",
    ));
    assert_eq!(app.post_json(&decide("approve"), &second, &json!({})).await.status.as_u16(), 200);
    rows.push((
        "a proposal approved twice",
        app.post_json(&decide("approve"), &second, &json!({})).await,
        409,
        "conflict.proposal_decided",
    ));

    // Arbitration: a position of no arbitrated part, a position that does
    // not exist.
    let position = crate::workflow::position_uri(id, "2026-001", &scoring.position);
    rows.push((
        "an arbitration asked by the board",
        app.get(&format!("{position}/arbitration"), &admin).await,
        403,
        "request.forbidden",
    ));
    let examiner = app.login("exp-01", crate::workflow::EXAMINER_PASSWORD).await.bearer();
    rows.push((
        "an arbitration asked by an examiner nobody named",
        app.get(&format!("{position}/arbitration"), &examiner).await,
        403,
        "denial.not_assigned",
    ));
    rows.push((
        "an arbitration of a position that does not exist",
        app.get(&format!("{}/arbitration", crate::workflow::position_uri(id, "2026-001", "9.9")), &admin)
            .await,
        404,
        "request.not_found",
    ));

    let pieces = french_pieces();
    for (what, answer, status, code) in &rows {
        answer.problem(*status, what);
        let (german, detail) = coded_text(answer, code, Language::De);
        let (french, _) = coded_text(answer, code, Language::Fr);
        assert_eq!(detail, french, "{what}: the French detail is the code's French text");
        assert_ne!(german, french, "{what}: {code} is not translated");
        let left: Vec<&String> = pieces.iter().filter(|piece| german.contains(piece.as_str())).collect();
        assert!(left.is_empty(), "{what}: French left in «{german}»: {left:?}");
        for mark in [" : ", "« ", " »", "·", "⟦"] {
            assert!(!german.contains(mark), "{what}: «{mark}» in «{german}»");
        }
    }
}
