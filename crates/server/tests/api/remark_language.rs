//! The language of an examiner's remarks: named in the request, else the
//! caller's (the `lang` cookie the pages forward, else `Accept-Language`),
//! else unknown; refused with its pointer when it is not `fr`, `de` or
//! `it`; given back by the evaluation and results routes.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;

use crate::support::{TestApp, spawn_app};
use crate::workflow::{EXAMINER_PASSWORD, position_uri, prepare_example};

/// Sends a draft with bearer `token` and the extra headers.
async fn save(
    app: &TestApp,
    uri: &str,
    token: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(Method::PUT)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response =
        app.router.clone().oneshot(request.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Request headers, the language named in the body, the language stored.
type Case = (&'static [(&'static str, &'static str)], Option<&'static str>, Option<&'static str>);

#[tokio::test]
async fn the_remarks_language_is_the_one_named_else_the_callers_else_unknown() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let login = app.login("exp-01", EXAMINER_PASSWORD).await;
    let uri = format!("{}/evaluations/mine", position_uri(id, "2026-001", "1.1"));
    let remarked = |language: Option<&str>| {
        let mut body = json!({"answers": [{"criterion": "c1", "points": "2", "remark": "Klar."}]});
        if let Some(language) = language {
            body["remark_language"] = language.into();
        }
        body
    };
    // (request headers, language named in the body, language stored)
    let cases: [Case; 8] = [
        (&[("accept-language", "de-CH, de;q=0.9, fr;q=0.5")], None, Some("de")),
        (&[("accept-language", "en-GB, fr;q=0.3")], None, Some("fr")),
        (&[("accept-language", "de;q=0, it")], None, Some("it")),
        (&[("accept-language", "fr;q=0.4, it-CH;q=0.8")], None, Some("it")),
        // The pages' language switch wins over the browser's languages.
        (&[("cookie", "lang=de"), ("accept-language", "fr")], None, Some("de")),
        // Named in the request: that one.
        (&[("accept-language", "de")], Some("fr"), Some("fr")),
        // Nothing says it: unknown, and nothing is marked.
        (&[], None, None),
        (&[("accept-language", "en, *;q=0.5")], None, None),
    ];
    let mut version = None::<i64>;
    for (headers, named, stored) in cases {
        let mut headers = headers.to_vec();
        let if_match = version.map(|version| format!("\"{version}\""));
        if let Some(if_match) = &if_match {
            headers.push(("if-match", if_match));
        }
        let (status, body) = save(&app, &uri, &login.token, &headers, &remarked(named)).await;
        assert_eq!(status, StatusCode::OK, "{headers:?}: {body:#}");
        version = body["version"].as_i64();
        let mine = app.get(&uri, &login.bearer()).await;
        assert_eq!(mine.body["remark_language"].as_str(), stored, "{headers:?} {named:?}: {:#}", mine.body);
    }
    // Without a remark there is no language to record.
    let if_match = format!("\"{}\"", version.unwrap());
    let plain = json!({"answers": [{"criterion": "c1", "points": "2"}]});
    let (status, body) =
        save(&app, &uri, &login.token, &[("accept-language", "de"), ("if-match", &if_match)], &plain).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    assert!(body.get("remark_language").is_none(), "{body:#}");
    // A language grille does not know is refused where it stands.
    for bad in [json!("en"), json!("DE"), json!(3)] {
        let mut body = remarked(None);
        body["remark_language"] = bad.clone();
        let (status, problem) = save(&app, &uri, &login.token, &[], &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {problem:#}");
        let pointers: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|error| error["pointer"].as_str())
            .collect();
        assert_eq!(pointers, ["/remark_language"], "{bad}: {problem:#}");
    }
}

/// Posts a confirmation with bearer `token` and the extra headers.
async fn confirm(
    app: &TestApp,
    uri: &str,
    token: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response =
        app.router.clone().oneshot(request.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Request headers, the justification, its language named in the body,
/// the language stored.
type ConfirmCase = (
    &'static [(&'static str, &'static str)],
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

#[tokio::test]
async fn a_confirmation_justification_has_the_language_named_else_the_callers_else_none() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    // Every evaluation submitted, the joint evaluations recorded and
    // confirmed through the API with no language said anywhere.
    crate::workflow::score_example(&app, id).await;
    let base = position_uri(id, "2026-001", "2.1");
    let listed = app.get(&format!("{base}/evaluations"), &admin).await;
    assert_eq!(listed.status, StatusCode::OK, "{:#}", listed.body);
    let version = listed.body["agreed"]["version"].as_i64().unwrap();
    // Confirmed before anything said a language: none is given back.
    let confirmations = listed.body["confirmations"].as_array().unwrap();
    assert!(!confirmations.is_empty(), "{:#}", listed.body);
    assert!(confirmations.iter().all(|row| row.get("justification_language").is_none()), "{:#}", listed.body);
    let login = app.login("exp-03", EXAMINER_PASSWORD).await;
    let uri = format!("{base}/agreed/confirm");
    let cases: [ConfirmCase; 6] = [
        (&[("accept-language", "de-CH, fr;q=0.5")], Some("Nach Rücksprache bestätigt."), None, Some("de")),
        (&[("cookie", "lang=it"), ("accept-language", "de")], Some("Confermato."), None, Some("it")),
        (&[("accept-language", "de")], Some("Confirmé après relecture."), Some("fr"), Some("fr")),
        (&[], Some("Confirmé."), None, None),
        (&[("accept-language", "en")], Some("Confirmé."), None, None),
        // Without a justification there is no language to record.
        (&[("accept-language", "de")], None, Some("de"), None),
    ];
    for (headers, justification, named, stored) in cases {
        let mut body = json!({"version": version});
        if let Some(text) = justification {
            body["justification"] = text.into();
        }
        if let Some(language) = named {
            body["justification_language"] = language.into();
        }
        let (status, answer) = confirm(&app, &uri, &login.token, headers, &body).await;
        assert_eq!(status, StatusCode::OK, "{headers:?} {body}: {answer:#}");
        assert_eq!(answer["justification_language"].as_str(), stored, "{headers:?} {body}: {answer:#}");
        let listed = app.get(&format!("{base}/evaluations"), &login.bearer()).await;
        let mine = listed.body["confirmations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["examiner"] == "exp-03")
            .cloned()
            .unwrap();
        assert_eq!(
            (mine["justification"].as_str(), mine["justification_language"].as_str()),
            (justification, stored),
            "{headers:?} {body}: {mine:#}"
        );
    }
    // A language grille does not know is refused where it stands.
    for bad in [json!("en"), json!("DE"), json!(3)] {
        let body = json!({"version": version, "justification": "Vu.", "justification_language": bad});
        let (status, problem) = confirm(&app, &uri, &login.token, &[], &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {problem:#}");
        let pointers: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|error| error["pointer"].as_str())
            .collect();
        assert_eq!(pointers, ["/justification_language"], "{bad}: {problem:#}");
    }
}
