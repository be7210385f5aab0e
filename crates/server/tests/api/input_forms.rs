//! Input as board members and clients really send it: CSV enrolment files
//! as Excel writes them (`;` or tab, French or German headers, byte order
//! mark), query parameters and `If-Match` that name what is wrong, and
//! every problem of a JSON body reported at once.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;

use crate::support::{Answer, TestApp, spawn_app};
use crate::workflow::{prepare_example, score_example};

/// The template the board pages offer for download
/// (`grille_web::board::CSV_TEMPLATE`, not public): it must be accepted.
const WEB_TEMPLATE: &str =
    "\u{feff}numero,nom,prenom,courriel\r\n2026-101,Exemple,Anne,anne.exemple@example.ch\r\n";

/// What a CSV enrolment must give: the numbers enrolled, or the problems
/// as (line, field, a piece of the detail).
enum Expect {
    Numbers(&'static [&'static str]),
    Problems(&'static [(u64, Option<&'static str>, &'static str)]),
}

#[tokio::test]
async fn csv_enrolment_reads_what_excel_writes_in_swiss_locales() {
    let app = spawn_app();
    let login = app.admin().await;
    let admin = login.bearer();
    let session = app.session(&login).await;
    let cases: Vec<(&str, String, Expect)> = vec![
        (
            "French header, `;` (Excel, Swiss locale)",
            "numero;nom;prenom;courriel\n2027-001;Muster;Anna;anna@example.ch\n2027-002;Muster, von;Bea;\n"
                .into(),
            Expect::Numbers(&["2027-001", "2027-002"]),
        ),
        (
            "German header, tab, BOM and CRLF",
            "\u{feff}Nummer\tName\tVorname\tE-Mail\r\n2027-003\tMuster\tCarla\tcarla@example.ch\r\n".into(),
            Expect::Numbers(&["2027-003"]),
        ),
        (
            "German header, `;`, Nachname",
            "Nummer;Nachname;Vorname\n2027-004;Muster;Dora\n".into(),
            Expect::Numbers(&["2027-004"]),
        ),
        (
            "case, accents, spaces and N°",
            " N° ; NOM ; Prénom ; Courriel \n2027-005;Muster;Eva;\n".into(),
            Expect::Numbers(&["2027-005"]),
        ),
        (
            "English names, `,`",
            "number,family_name,given_name,email\n2027-006,Muster,Fritz,\n".into(),
            Expect::Numbers(&["2027-006"]),
        ),
        ("the template of the board pages", WEB_TEMPLATE.into(), Expect::Numbers(&["2026-101"])),
        (
            "unknown column in a `;` file: the delimiter read is said",
            "numero;nom;prenom;telephone\n2027-007;Muster;Gina;079\n".into(),
            Expect::Problems(&[(1, Some("telephone"), "séparateur lu : point-virgule « ; »")]),
        ),
        (
            "header not understood: missing columns named in French with their aliases",
            "numero|nom|prenom\n2027-008|Muster|Hans\n".into(),
            Expect::Problems(&[
                (1, Some("numero|nom|prenom"), "Colonnes attendues : « numéro » (numero, numéro, n°"),
                (
                    1,
                    Some("number"),
                    "« numéro » absente (séparateur lu : virgule « , ») ; noms admis : numero",
                ),
                (1, Some("family_name"), "« nom » absente"),
                (1, Some("given_name"), "Vorname"),
            ]),
        ),
        (
            "a `,` line in a `;` file",
            "numero;nom;prenom\n2027-009,Muster,Ida\n".into(),
            Expect::Problems(&[(2, None, "1 valeur(s) au lieu de 3 (séparateur lu : point-virgule")]),
        ),
        (
            "two columns with the same meaning",
            "numero;nom;Nachname;prenom\n2027-010;A;B;C\n".into(),
            Expect::Problems(&[(1, Some("Nachname"), "figure deux fois")]),
        ),
    ];
    for (what, csv, expect) in cases {
        for route in ["csv/preview", "csv"] {
            let uri = format!("/api/sessions/{session}/candidates/{route}");
            let answer = app.post_raw(&uri, &admin, "text/csv; charset=utf-8", &csv).await;
            match &expect {
                Expect::Numbers(numbers) => {
                    let status = if route == "csv" { StatusCode::CREATED } else { StatusCode::OK };
                    assert_eq!(answer.status, status, "{what} ({route}): {:#}", answer.body);
                    if route == "csv" {
                        assert_eq!(answer.body["enrolled"], numbers.len(), "{what}");
                    } else {
                        let found: Vec<&str> = answer.body["candidates"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|candidate| candidate["number"].as_str().unwrap())
                            .collect();
                        assert_eq!(found, *numbers, "{what}");
                    }
                }
                Expect::Problems(problems) => {
                    let problem = answer.problem(422, what);
                    let errors = problem["errors"].as_array().unwrap();
                    assert_eq!(errors.len(), problems.len(), "{what}: {problem:#}");
                    for (error, (line, field, detail)) in errors.iter().zip(problems.iter()) {
                        assert_eq!(error["line"], *line, "{what}: {error:#}");
                        assert_eq!(error["field"].as_str(), *field, "{what}: {error:#}");
                        let text = error["detail"].as_str().unwrap();
                        assert!(text.contains(detail), "{what}: {text:?} lacks {detail:?}");
                    }
                }
            }
        }
    }
    let list = app.get(&format!("/api/sessions/{session}/candidates"), &admin).await;
    let saved: Vec<&str> =
        list.body.as_array().unwrap().iter().map(|c| c["number"].as_str().unwrap()).collect();
    assert_eq!(saved.len(), 7, "{saved:?}");
    let bea = list.body.as_array().unwrap().iter().find(|c| c["number"] == "2027-002").unwrap();
    assert_eq!(bea["family_name"], "Muster, von", "a comma inside a `;` file is part of the name");
}

#[tokio::test]
async fn query_parameters_are_named_with_their_allowed_values() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    score_example(&app, id).await;
    let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
    assert_eq!(finalised.status, StatusCode::OK, "{:#}", finalised.body);
    // (query, status, delimiter of the export or (parameter, pieces of the detail))
    // `;` by default (Excel on a Swiss Windows).
    let accepted = [("", ';'), ("?delimiter=comma", ','), ("?delimiter=,", ','), ("?delimiter=%2C", ',')];
    let accepted = accepted.into_iter().chain([
        ("?delimiter=semicolon", ';'),
        ("?delimiter=;", ';'),
        ("?delimiter=%3B", ';'),
        ("?layout=criterion&delimiter=;", ';'),
    ]);
    for (query, delimiter) in accepted {
        let answer = app.get(&format!("/api/sessions/{id}/results/csv{query}"), &admin).await;
        assert_eq!(answer.status, StatusCode::OK, "{query}: {:#}", answer.body);
        let text = answer.body.as_str().unwrap();
        let header = text.trim_start_matches('\u{feff}').lines().next().unwrap();
        // The candidate layout names its columns for people (French by
        // default), the criterion layout with identifiers.
        let first = if query.contains("criterion") { "numero" } else { "Numéro" };
        assert!(header.starts_with(&format!("{first}{delimiter}")), "{query}: {header}");
    }
    let refused: [(String, &str, &[&str]); 5] = [
        (
            format!("/api/sessions/{id}/results/csv?delimiter=tab"),
            "delimiter",
            &["« tab »", "comma, semicolon"],
        ),
        (
            format!("/api/sessions/{id}/results/csv?delimiter=%7C"),
            "delimiter",
            &["« | »", "comma, semicolon"],
        ),
        (
            format!("/api/sessions/{id}/results/csv?layout=row"),
            "layout",
            &["« layout »", "« row »", "candidate, criterion"],
        ),
        ("/api/audit?limit=many".to_owned(), "limit", &["« limit »", "« many »", "un entier"]),
        ("/api/audit?limit=-1".to_owned(), "limit", &["« -1 »", "un entier positif ou nul"]),
    ];
    for (uri, parameter, pieces) in refused {
        let answer = app.get(&uri, &admin).await;
        let problem = answer.problem(400, &uri);
        assert_eq!(problem["type"], "urn:grille:bad-query", "{uri}");
        assert_ne!(problem["title"], "Adresse invalide", "{uri}");
        assert_eq!(problem["errors"][0]["field"], parameter, "{uri}: {problem:#}");
        let detail = problem["detail"].as_str().unwrap();
        for piece in pieces {
            assert!(detail.contains(piece), "{uri}: {detail:?} lacks {piece:?}");
        }
    }
}

/// A request with a raw `If-Match` header.
pub(crate) async fn with_if_match(
    app: &TestApp,
    method: Method,
    uri: &str,
    token: &str,
    if_match: &str,
    body: Value,
) -> Answer {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::IF_MATCH, if_match)
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer { status, headers, body }
}

#[tokio::test]
async fn a_malformed_if_match_is_a_precondition_problem_naming_the_header() {
    let app = spawn_app();
    let admin = app.admin().await;
    let expert = app.expert().await;
    let session = app.session(&admin).await;
    let draft = format!("{}/evaluations/mine", crate::workflow::position_uri(session, "2027-001", "1.1.1"));
    let correction = format!("/api/sessions/{session}/candidates/2027-001/corrections");
    let cases: [(&str, Method, &str, &str, &str); 5] = [
        ("word", Method::PUT, "/api/me/self-assessment", &admin.token, "latest"),
        ("decimal", Method::PUT, "/api/me/self-assessment", &admin.token, "\"3.5\""),
        ("list", Method::PUT, &draft, &expert.token, "\"1\", \"2\""),
        ("empty quotes", Method::PUT, &draft, &expert.token, "\"\""),
        ("weak, not a number", Method::POST, &correction, &admin.token, "W/\"v3\""),
    ];
    for (what, method, uri, token, value) in cases {
        let answer =
            with_if_match(&app, method, uri, token, value, json!({"ratings": {}, "answers": []})).await;
        let problem = answer.problem(400, what);
        assert_eq!(problem["type"], "urn:grille:if-match-invalid", "{what}: {problem:#}");
        assert_eq!(problem["title"], "En-tête If-Match invalide", "{what}");
        assert_eq!(problem["errors"][0]["field"], "If-Match", "{what}");
        assert!(problem["detail"].as_str().unwrap().contains(value), "{what}: {problem:#}");
    }
}

#[tokio::test]
async fn every_problem_of_a_json_body_is_reported_at_once() {
    let app = spawn_app();
    let admin = app.admin().await;
    let session = app.session(&admin).await;
    let enrol = format!("/api/sessions/{session}/candidates");
    // (what, uri, body, pointers in order, a piece of the detail at the first pointer)
    let cases: Vec<(&str, &str, Value, &[&str], &str)> = vec![
        (
            "two wrong values",
            "/api/sessions",
            json!({"name": 5, "kind": "weird"}),
            &["/kind", "/name"],
            "valeurs possibles : \"official\", \"mock\"",
        ),
        ("two missing fields", "/api/login", json!({}), &["/password", "/username"], "« password » manque"),
        (
            "wrong type, missing field, unknown role",
            "/api/users",
            json!({"username": 3, "role": "king"}),
            &["/password", "/role", "/username"],
            "« password »",
        ),
        (
            "nested, in several candidates, unknown field",
            &enrol,
            json!({"candidates": [{"number": 1, "family_name": "A"}, {"number": "2", "family_name": "B", "given_name": "C", "phone": "x"}]}),
            &["/candidates/0/given_name", "/candidates/0/number", "/candidates/1/phone"],
            "« given_name » manque",
        ),
        (
            "an unknown field names the admitted ones",
            "/api/sessions",
            json!({"nom": "Printemps"}),
            &["/name", "/nom"],
            "« name » manque",
        ),
    ];
    for (what, uri, body, pointers, piece) in cases {
        let answer = app.post_json(uri, &admin.bearer(), &body).await;
        let problem = answer.problem(422, what);
        assert_eq!(problem["title"], "Données invalides", "{what}");
        let errors = problem["errors"].as_array().unwrap();
        let mut found: Vec<&str> = errors.iter().map(|error| error["pointer"].as_str().unwrap()).collect();
        found.sort_unstable();
        assert_eq!(found, *pointers, "{what}: {problem:#}");
        let first = errors.iter().find(|error| error["pointer"] == pointers[0]).unwrap();
        let detail = first["detail"].as_str().unwrap();
        assert!(detail.contains(piece), "{what}: {detail:?} lacks {piece:?}");
        for error in errors {
            let detail = error["detail"].as_str().unwrap();
            assert!(detail.ends_with('.') && !detail.contains("expected"), "{what}: {detail:?}");
        }
    }
    let unknown = app.post_json("/api/sessions", &admin.bearer(), &json!({"name": "x", "nom": "y"})).await;
    let detail = unknown.problem(422, "unknown field")["errors"][0]["detail"].as_str().unwrap().to_owned();
    assert!(
        detail.contains("« nom »") && detail.contains("champs admis : ") && detail.contains("kind, name"),
        "{detail}"
    );
}
