//! A bank document's title in the reader's language: the documents shipped
//! with grille (copied into the bank by "prepare next year's exam") carry a
//! German title beside the French, no Italian one. A German page shows the
//! German title; an Italian page shows the French one marked `lang="fr"`
//! (on `<title>` itself for the window title); a French page shows the
//! French unmarked. Checked on the bank's list, a document's page (window
//! title, breadcrumb, heading), the editors' choices of rubric and scheme,
//! and the bank's choice of the session creation form.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::{App, BOARD_PASSWORD, app_with_board};

const RUBRIC: &str = "bf-asp-1-1-rapport-reflexion";
const FRENCH: &str = "Grille 1.1 – Rapport de réflexion (écrit)";
const GERMAN: &str = "Bewertungsraster 1.1 – Reflexionsbericht (schriftlich)";
const SCHEME_FRENCH: &str = "Barème par défaut";
const SCHEME_GERMAN: &str = "Standard-Bewertungsschema";
const SESSION: &str = "Demo 2026";

/// The languages of the pages, with what each shows of the rubric's title:
/// its text and the `lang` it is marked with, if any.
const LANGUAGES: &[(&str, &str, Option<&str>)] =
    &[("de", GERMAN, None), ("it", FRENCH, Some("fr")), ("fr", FRENCH, None)];

/// The element that starts with `start` (`<title`, `<h1`...), up to its end tag.
fn element<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body.find(start).unwrap_or_else(|| panic!("no {start} in {body}"));
    let to = body[from..].find(end).unwrap_or_else(|| panic!("no {end} after {start}")) + from;
    &body[from..to + end.len()]
}

/// The title as an element's content shows it: marked with its language
/// where it is not the page's.
fn shown(text: &str, lang: Option<&str>) -> String {
    match lang {
        Some(lang) => format!(r#"<span lang="{lang}">{text}</span>"#),
        None => text.to_owned(),
    }
}

async fn bank_with_next_year(app: &App) -> (String, String, Vec<Value>) {
    let (cookie, csrf) =
        app.login("commission", BOARD_PASSWORD).await.unwrap_or_else(|answer| panic!("{}", answer.body));
    let next =
        app.send("POST", "/documents/next-year", &cookie, Some(&format!("csrf={csrf}&version=2031"))).await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
    let listed = app.send("GET", "/api/documents", &cookie, None).await;
    let listed: Value = serde_json::from_str(&listed.body).unwrap_or_else(|_| panic!("{}", listed.body));
    let documents = listed.as_array().cloned().unwrap_or_default();
    assert_eq!(documents.len(), 6, "{listed:#}");
    (cookie, csrf, documents)
}

fn row_of(documents: &[Value], document_id: &str) -> (i64, i64) {
    let document = documents
        .iter()
        .find(|document| document["document_id"] == document_id)
        .unwrap_or_else(|| panic!("{document_id} in {documents:?}"));
    (document["id"].as_i64().unwrap(), document["row_version"].as_i64().unwrap())
}

#[tokio::test]
async fn a_bank_documents_title_is_in_the_readers_language_or_marked_french() {
    let app = app_with_board();
    let (cookie, _, documents) = bank_with_next_year(&app).await;
    let (rubric, _) = row_of(&documents, RUBRIC);
    for &(lang, title, marked) in LANGUAGES {
        // The bank's list: the rubric's link.
        let list = app.send("GET", &format!("/documents?lang={lang}"), &cookie, None).await;
        assert_eq!(list.status, StatusCode::OK, "{lang}: {}", list.body);
        let link = element(&list.body, &format!(r#"<a href="/documents/{rubric}">"#), "</a>");
        assert!(link.contains(&format!(">{}</a>", shown(title, marked))), "{lang}: {link}");
        if lang == "de" {
            assert!(!list.body.contains(FRENCH) && !list.body.contains(SCHEME_FRENCH), "{lang}: French left");
            assert!(list.body.contains(SCHEME_GERMAN), "{lang}: the scheme's German title");
        } else {
            assert!(!list.body.contains(GERMAN), "{lang}: German on a page in {lang}");
        }

        // The document's page: window title, breadcrumb and heading.
        let page = app.send("GET", &format!("/documents/{rubric}?lang={lang}"), &cookie, None).await;
        assert_eq!(page.status, StatusCode::OK, "{lang}: {}", page.body);
        let window = element(&page.body, "<title", "</title>");
        let opening = marked.map_or_else(|| "<title>".to_owned(), |lang| format!(r#"<title lang="{lang}">"#));
        assert_eq!(window, format!("{opening}{title} · grille</title>"), "{lang}");
        let breadcrumb = element(&page.body, r#"<p class="board-breadcrumb">"#, "</p>");
        assert!(
            breadcrumb.contains(&format!("<span>{}</span>", shown(title, marked))),
            "{lang}: {breadcrumb}"
        );
        let heading = element(&page.body, "<h1", "</h1>");
        assert_eq!(heading, format!("<h1>{}</h1>", shown(title, marked)), "{lang}");
        if lang == "de" {
            assert!(!page.body.contains(FRENCH), "{lang}: French left on the document's page");
        }
    }
}

#[tokio::test]
async fn the_choices_of_bank_documents_are_in_the_readers_language_or_marked_french() {
    let app = app_with_board();
    let (cookie, csrf, documents) = bank_with_next_year(&app).await;
    let (scheme, _) = row_of(&documents, "bf-asp-bareme-defaut");
    // The session form offers ready documents only: the rubric made ready.
    let (rubric, row_version) = row_of(&documents, RUBRIC);
    let body = format!("csrf={csrf}&row_version={row_version}&state=ready");
    let ready = app.send("POST", &format!("/documents/{rubric}/state"), &cookie, Some(&body)).await;
    assert_eq!(ready.status, StatusCode::SEE_OTHER, "{}", ready.body);

    for &(lang, title, marked) in LANGUAGES {
        // A blueprint's rubric choice: the bank's rubric comes first.
        let editor =
            app.send("GET", &format!("/documents/new?kind=blueprint&lang={lang}"), &cookie, None).await;
        assert_eq!(editor.status, StatusCode::OK, "{lang}: {}", editor.body);
        let option = element(&editor.body, &format!(r#"<option value="{RUBRIC}""#), "</option>");
        let mark = marked.map_or_else(String::new, |lang| format!(r#" lang="{lang}""#));
        assert_eq!(
            option,
            format!(r#"<option value="{RUBRIC}"{mark}>{RUBRIC} — {title}</option>"#),
            "{lang}"
        );

        // A rubric's preview under a scheme of the bank.
        let editor = app.send("GET", &format!("/documents/new?kind=rubric&lang={lang}"), &cookie, None).await;
        assert_eq!(editor.status, StatusCode::OK, "{lang}: {}", editor.body);
        let option = element(&editor.body, &format!(r#"<option value="{scheme}""#), "</option>");
        assert!(option.starts_with(&format!(r#"<option value="{scheme}"{mark}>"#)), "{lang}: {option}");
        let scheme_title = if lang == "de" { SCHEME_GERMAN } else { SCHEME_FRENCH };
        assert!(option.contains(scheme_title), "{lang}: {option}");

        // The session creation form: the ready rubric's checkbox.
        let board = app.send("GET", &format!("/board?lang={lang}"), &cookie, None).await;
        assert_eq!(board.status, StatusCode::OK, "{lang}: {}", board.body);
        let choice = element(&board.body, &format!(r#"name="bank_rubric" value="{rubric}">"#), "</label>");
        assert!(choice.contains(&shown(&format!("{RUBRIC} v2031 — {title}"), marked)), "{lang}: {choice}");
        // The same page's table of the shipped documents a session pins
        // by default: the title cell carries the mark.
        let shipped = element(&board.body, r#"<table class="documents" id="default-documents">"#, "</table>");
        let cell = marked
            .map_or_else(|| format!("<td>{title}</td>"), |lang| format!(r#"<td lang="{lang}">{title}</td>"#));
        assert!(shipped.contains(&cell), "{lang}: {shipped}");
    }
}

/// The documents a session pinned, named by title on the demo session's
/// pages: the candidate file's table of documents and the agreement of
/// the examiners by rubric; and the session's own title in the header of
/// its pages.
#[tokio::test]
async fn a_pinned_documents_title_is_in_the_readers_language_or_marked_french() {
    let app = app_with_board();
    let (cookie, _) =
        app.login("commission", BOARD_PASSWORD).await.unwrap_or_else(|answer| panic!("{}", answer.body));
    for &(lang, title, marked) in LANGUAGES {
        let file = app.send("GET", &format!("/demo/candidates/2026-003/file?lang={lang}"), "", None).await;
        assert_eq!(file.status, StatusCode::OK, "{lang}: {}", file.body);
        let row = element(&file.body, &format!("<td><code>{RUBRIC}</code></td>"), "</tr>");
        let cell = marked
            .map_or_else(|| format!("<td>{title}</td>"), |lang| format!(r#"<td lang="{lang}">{title}</td>"#));
        assert!(row.contains(&cell), "{lang}: {row}");

        let uri = format!("/board/sessions/1/results/statistics?lang={lang}");
        let statistics = app.send("GET", &uri, &cookie, None).await;
        assert_eq!(statistics.status, StatusCode::OK, "{lang}: {}", statistics.body);
        let row = format!(r#"<tr><th scope="row">{} <span class="muted">({RUBRIC} "#, shown(title, marked));
        assert!(statistics.body.contains(&row), "{lang}: {row} in {}", statistics.body);
        // The session's own title, in the header of its pages.
        // The demo's session is titled in French only: marked on a German
        // or Italian page.
        let mark = if lang == "fr" { "" } else { r#" lang="fr""# };
        let header = element(&statistics.body, r#"<p class="document-session">"#, "</p>");
        assert!(header.contains(&format!("— <span{mark}>{SESSION}</span>")), "{lang}: {header}");
    }
}
