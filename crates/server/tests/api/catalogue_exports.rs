//! The catalogue out to the tools schools use: Moodle's competency-framework
//! CSV and a CASE 1.1 package, public like the catalogue, computed once
//! (the same bytes and strong `ETag` every time, `304` on `If-None-Match`),
//! in the language asked for; a translated catalogue is exported with its
//! translation.

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use grille_competence::Catalogue;
use grille_competence::translation::{CatalogueTranslation, TranslationLanguage};
use grille_server::{AppState, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// (status, headers, body) of a GET.
async fn get(
    router: &Router,
    uri: &str,
    if_none_match: Option<&str>,
) -> (StatusCode, header::HeaderMap, String) {
    let mut request = Request::get(uri);
    if let Some(tag) = if_none_match {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    let response = router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn both_exports_are_public_immutable_files_in_the_language_asked_for() {
    let test = crate::support::spawn_app();
    let router = test.router.clone();
    // (uri, media type, file name, start of the body)
    let cases = [
        (
            "/api/catalogue/export/moodle.csv",
            "text/csv; charset=utf-8",
            "asp-bf-2017-moodle-fr.csv",
            "Parent ID number,ID number,Short name,Description,Description format,Scale values,",
        ),
        (
            "/api/catalogue/export/moodle.csv?lang=de",
            "text/csv; charset=utf-8",
            "asp-bf-2017-moodle-de.csv",
            "Parent ID number,ID number,",
        ),
        (
            "/api/catalogue/export/case.json",
            "application/json",
            "asp-bf-2017-case-fr.json",
            "{\n  \"CFDocument\": {",
        ),
        ("/api/catalogue/export/case.json?lang=it", "application/json", "asp-bf-2017-case-it.json", "{"),
    ];
    for (uri, media_type, file_name, start) in cases {
        let (status, headers, body) = get(&router, uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        assert_eq!(headers[header::CONTENT_TYPE], media_type, "{uri}");
        assert_eq!(headers[header::CONTENT_DISPOSITION], format!("attachment; filename=\"{file_name}\""));
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache", "{uri}: public and revalidated");
        assert!(body.starts_with(start), "{uri}: {}", &body[..body.len().min(200)]);
        let tag = headers[header::ETAG].to_str().unwrap().to_owned();
        let (again, again_headers, again_body) = get(&router, uri, None).await;
        assert_eq!((again, again_body == body), (StatusCode::OK, true), "{uri}: the same bytes");
        assert_eq!(again_headers[header::ETAG], tag.as_str());
        let (status, _, body) = get(&router, uri, Some(&tag)).await;
        assert_eq!((status, body.as_str()), (StatusCode::NOT_MODIFIED, ""), "{uri}");
    }
    // Italian texts do not exist yet: the French ones, in a package whose
    // identifiers are the Italian export's own.
    let (_, _, french) = get(&router, "/api/catalogue/export/case.json", None).await;
    let (_, _, italian) = get(&router, "/api/catalogue/export/case.json?lang=it", None).await;
    let french: serde_json::Value = serde_json::from_str(&french).unwrap();
    let italian: serde_json::Value = serde_json::from_str(&italian).unwrap();
    assert_eq!(french["CFItems"][0]["fullStatement"], italian["CFItems"][0]["fullStatement"]);
    assert_eq!(italian["CFDocument"]["language"], "it");
    assert_ne!(french["CFDocument"]["identifier"], italian["CFDocument"]["identifier"]);
    assert_eq!(french["CFDefinitions"]["CFItemTypes"][2]["title"], "Critère de performance");
    assert_eq!(italian["CFDefinitions"]["CFItemTypes"][2]["title"], "Criterio di prestazione");

    let (status, _, body) = get(&router, "/api/catalogue/export/case.json?lang=en", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["errors"][0]["field"], "lang", "{problem:#}");
}

#[tokio::test]
async fn a_translated_catalogue_is_served_and_exported_with_its_translation() {
    let dir = tempfile::tempdir().unwrap();
    let store = grille_store::Store::open(&dir.path().join("grille.sqlite")).unwrap();
    let catalogue = Catalogue::embedded().unwrap();
    let profile = catalogue.profile();
    let translation = CatalogueTranslation {
        profile: profile.id.clone(),
        version: profile.version.clone(),
        language: TranslationLanguage::De,
        texts: BTreeMap::from([
            ("A7.title".to_owned(), "Den Klienten am Arbeitsplatz unterstützen".to_owned()),
            ("A7.k2".to_owned(), "kennt die Hilfsmittel".to_owned()),
        ]),
    };
    let catalogue = catalogue.translated(&translation).unwrap();
    let router = app(AppState::with_catalogue(store, crate::support::config(), catalogue));
    let (_, _, body) = get(&router, "/api/catalogue", None).await;
    assert!(body.contains(r#""de":"Den Klienten am Arbeitsplatz unterstützen""#));
    let (_, _, body) = get(&router, "/api/catalogue/export/case.json?lang=de", None).await;
    assert!(body.contains(r#""fullStatement": "kennt die Hilfsmittel""#), "{body}");
    let (_, _, body) = get(&router, "/api/catalogue/export/moodle.csv?lang=de", None).await;
    assert!(body.contains("A,A7,Den Klienten am Arbeitsplatz unterstützen,"), "{body}");
    assert!(body.contains("Kategorie: Kenntnisse, Verständnis"), "the category note in German");
    let (_, _, body) = get(&router, "/api/catalogue/export/moodle.csv", None).await;
    assert!(!body.contains("Den Klienten"), "the French export stays French");
}
