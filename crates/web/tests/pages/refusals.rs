//! The API's refusals as a German or Italian reader sees them on the
//! pages: the API sends a code beside its French sentence, and the page
//! says the code in the reader's language (the refusal page, a form's
//! notice, the texts the examiner's script says itself).

use axum::http::StatusCode;

use crate::support::{App, PASSWORD, app};

async fn login(app: &App, username: &str) -> (String, String) {
    app.login(username, PASSWORD).await.unwrap_or_else(|answer| panic!("{username}: {}", answer.body))
}

/// An attribute's text as the browser reads it.
fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn a_refusal_is_said_in_the_readers_language_on_the_refusal_page_and_on_the_form() {
    let app = app();
    // exp-03 scores part 2: part 1 of 2026-006 is not theirs (403, the
    // refusal page).
    let (cookie, _) = login(&app, "exp-03").await;
    let uri = "/examiner/sessions/1/candidates/2026-006/positions/1.1";
    for (lang, expected, absent) in [
        (
            "de",
            "Sie sind diesem Prüfungsteil dieser Kandidatin oder dieses Kandidaten nicht zugeteilt.",
            "pas attribué·e",
        ),
        ("it", "Non siete assegnati a questa parte d'esame", "pas attribué·e"),
        ("fr", "Vous n'êtes pas attribué·e à cette épreuve de ce·tte candidat·e.", "nicht zugeteilt"),
    ] {
        let answer = app.send("GET", &format!("{uri}?lang={lang}"), &cookie, None).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{lang}: {}", answer.body);
        let text = unescape(&answer.body);
        assert!(text.contains(expected), "{lang}: {}", answer.body);
        assert!(!text.contains(absent), "{lang}: {}", answer.body);
    }
    // exp-01 submitted 2026-001's position 1.1: saving it again is
    // refused (409) and the form says so in German, not the French
    // sentence of the API.
    let (cookie, csrf) = login(&app, "exp-01").await;
    let uri = "/examiner/sessions/1/candidates/2026-001/positions/1.1";
    // (Its page leads to the comparison; the form posted from a tab
    // opened before the submission still arrives.)
    let body = format!("csrf={csrf}&action=save&version=1&points-c1=2");
    let refused = app.send("POST", &format!("{uri}?lang=de"), &cookie, Some(&body)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let text = unescape(&refused.body);
    assert!(text.contains("Diese Bewertung ist eingereicht und gesperrt."), "{}", refused.body);
    assert!(!refused.body.contains("soumise et verrouillée"), "{}", refused.body);
    // The scoring form carries the refusal texts its script says, in the
    // page's language.
    let form = app
        .send("GET", "/examiner/sessions/1/candidates/2026-006/positions/1.1?lang=de", &cookie, None)
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let texts = form.body.split(r#"data-refusals=""#).nth(1).expect("the refusal texts on the form");
    let texts = unescape(&texts[..texts.find('"').expect("the attribute ends")]);
    let texts: serde_json::Value = serde_json::from_str(&texts).expect("JSON");
    assert_eq!(texts["denial.locked"], "Diese Bewertung ist eingereicht und gesperrt.");
    assert_eq!(texts["state.finalised"], "Noten festgelegt");
    assert!(texts["denial.wrong_state"].as_str().unwrap_or_default().contains("{state}"), "{texts:#}");
}

/// What a German board member still reads in French on the case bank, the
/// case editor and the rubric editor (the catalogue's competences and
/// criteria, not translated yet) is marked `lang="fr"`, option by option.
#[tokio::test]
async fn the_case_bank_marks_the_catalogue_titles_it_shows_in_french() {
    let app = crate::support::app_with_board();
    let (cookie, _) = app
        .login("commission", crate::support::BOARD_PASSWORD)
        .await
        .unwrap_or_else(|answer| panic!("{}", answer.body));
    let competence = "Intégrer un nouveau client / une nouvelle cliente";
    let criterion = "A1.p1 — est capable d'intégrer de nouveaux clients";
    for (uri, french) in [
        ("/cases?lang=de", competence),
        ("/cases/new?lang=de", competence),
        ("/documents/new?kind=rubric&lang=de", criterion),
        ("/cases/new?lang=de", "Obtention et déroulement des mandats"),
    ] {
        let page = app.send("GET", uri, &cookie, None).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
        let text = unescape(&page.body);
        let at = text.find(french).unwrap_or_else(|| panic!("{uri}: no A1 in {}", page.body));
        let opening = text[..at].rfind('<').expect("the element around it");
        assert!(text[opening..at].contains(r#"lang="fr""#), "{uri}: {}", &text[opening..at + french.len()]);
    }
}

/// The catalogue's titles other pages show a German reader in French are
/// marked too: the profile named on the home page, the statistics table
/// and its chart, a candidate's development plan, a class's grid.
#[tokio::test]
async fn french_catalogue_titles_on_german_pages_are_marked() {
    let app = crate::support::app_with_board();
    let password = crate::support::PASSWORD;
    let competence = "Planification du processus d'accompagnement";
    let rows = [
        (
            "commission",
            crate::support::BOARD_PASSWORD,
            "/?lang=de",
            "Profil de qualification pour la profession",
        ),
        (
            "commission",
            crate::support::BOARD_PASSWORD,
            "/demo/session/statistics?lang=de",
            "Planification du processus d'accompagnement</span>",
        ),
        (
            "candidat-demo",
            password,
            "/candidate/plan?lang=de",
            "A1 — Intégrer un nouveau client / une nouvelle cliente",
        ),
        ("formatrice-demo", password, "/trainer/sessions/2/grid?lang=de", competence),
    ];
    for (username, password, uri, french) in rows {
        let (cookie, _) =
            app.login(username, password).await.unwrap_or_else(|answer| panic!("{}", answer.body));
        let page = app.send("GET", uri, &cookie, None).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
        let text = unescape(&page.body);
        let at = text.find(french).unwrap_or_else(|| panic!("{uri}: no «{french}» in {text}"));
        let opening = text[..at].rfind('<').expect("the element around it");
        let end = at + text[at..].find('>').unwrap_or(0);
        assert!(text[opening..end].contains(r#"lang="fr""#), "{uri}: {}", &text[opening..end]);
        if uri.contains("statistics") {
            assert!(text.contains(r#"<title lang="fr">"#), "{uri}: the chart's tooltips are not marked");
            assert!(
                !text.contains(r#"<g class="bar" lang="#),
                "{uri}: the values beside the bars are German"
            );
        }
    }
}

/// The minutes name each position of a discrepancy by the blueprint's
/// title in the reader's language, not by the French title the stored
/// result carries.
#[tokio::test]
async fn the_minutes_name_positions_in_german() {
    let app = crate::support::app_with_board();
    let (cookie, _) = app
        .login("commission", crate::support::BOARD_PASSWORD)
        .await
        .unwrap_or_else(|answer| panic!("{}", answer.body));
    let page = app.send("GET", "/demo/session/minutes?lang=de", &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let text = unescape(&page.body);
    assert!(text.contains("2.1 Schriftliche Arbeit: Förderung der individuellen Entwicklung"), "{text}");
    assert!(!text.contains("Travail écrit : promotion"), "{text}");
}

/// The quality page in German writes its lists and confidence intervals
/// with a German semicolon ("0.93 [0.81; 0.97]"), never the French " ; ".
#[tokio::test]
async fn the_quality_page_in_german_writes_german_semicolons() {
    let app = crate::support::app_with_board();
    let (cookie, _) = app
        .login("commission", crate::support::BOARD_PASSWORD)
        .await
        .unwrap_or_else(|answer| panic!("{}", answer.body));
    let page = app.send("GET", "/board/sessions/1/quality?lang=de", &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let text = unescape(&page.body);
    assert!(text.contains("; "), "no interval or list at all: {text}");
    let before =
        |at: usize| (0..=at.saturating_sub(40)).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let french: Vec<&str> = text.match_indices(" ; ").map(|(at, _)| &text[before(at)..at + 3]).collect();
    assert!(french.is_empty(), "French semicolons: {french:?}");
    let page = app.send("GET", "/board/sessions/1/quality", &cookie, None).await;
    assert!(unescape(&page.body).contains(" ; "), "the French page keeps its own");
}

/// The board's step form says a refused finalisation (candidates pending
/// in the demo) in German, with the counts.
#[tokio::test]
async fn a_refused_finalisation_is_said_in_german_with_its_counts() {
    let app = crate::support::app_with_board();
    let (cookie, csrf) = app
        .login("commission", crate::support::BOARD_PASSWORD)
        .await
        .unwrap_or_else(|answer| panic!("{}", answer.body));
    let body = format!("csrf={csrf}&confirm=yes");
    let refused = app.send("POST", "/board/sessions/1/finalise?lang=de", &cookie, Some(&body)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let text = unescape(&refused.body);
    assert!(text.contains("Die Noten der Session können nicht festgelegt werden: 2 Kandidat"), "{text}");
    assert!(!text.contains("ne peut pas être arrêtée"), "{text}");
}

/// The `<svg>` that follows `id="{id}"` on a page.
pub(crate) fn chart_of<'a>(page: &'a str, id: &str) -> &'a str {
    let after = page.split(&format!(r#"id="{id}""#)).nth(1).unwrap_or_else(|| panic!("no {id} in {page}"));
    let start = after.find("<svg").unwrap_or_else(|| panic!("no chart after {id}"));
    let end = after[start..].find("</svg>").unwrap_or_else(|| panic!("chart {id} not closed"));
    &after[start..start + end]
}

/// The opening tags of a radar's axis texts, in order: for each axis its
/// label, then its note when it has one.
pub(crate) fn axis_texts(radar: &str) -> Vec<&str> {
    let labels = radar.split(r#"<g class="axis-labels""#).nth(1).unwrap_or_default();
    let labels = labels.split("</g>").next().unwrap_or_default();
    labels.split("<text").skip(1).map(|text| text.split('>').next().unwrap_or_default()).collect()
}

/// The profile of the anonymous self-assessment in German and Italian
/// marks each catalogue title shown in French where the page writes it:
/// the radar's axis labels (not the value under each, in the page's
/// language), the bars' labels and tooltips (a tooltip then holds the
/// title alone) and the tables beside; the French page marks nothing.
#[tokio::test]
async fn the_self_assessment_profile_marks_french_titles_in_its_charts() {
    let app = app();
    for (lang, marked) in [("de", true), ("it", true), ("fr", false)] {
        let form = format!("lang={lang}&A1.p1=4&A1.p2=2&B1.p1=1&E4.m1=3");
        let page = app.send("POST", "/self-assessment/results", "", Some(&form)).await;
        assert_eq!(page.status, StatusCode::OK, "{lang}: {}", page.body);
        let radar = chart_of(&page.body, "chart-domains");
        let texts = axis_texts(radar);
        assert_eq!(texts.len(), 10, "{lang}: a label and a value per domain: {radar}");
        for pair in texts.chunks(2) {
            assert_eq!(pair[0].contains(r#"lang="fr""#), marked, "{lang}: label {}", pair[0]);
            assert!(!pair[1].contains("lang="), "{lang}: the value is in the page's language: {}", pair[1]);
        }
        let bars = chart_of(&page.body, "chart-competences");
        let rows: Vec<&str> = bars.split(r#"<g class="bar">"#).skip(1).collect();
        assert!(!rows.is_empty(), "{lang}: {bars}");
        for row in rows {
            let (title, rest) = row.split_once("</title>").unwrap();
            let label = rest.split("<tspan").next().unwrap();
            assert_eq!(title.starts_with(r#"<title lang="fr">"#), marked, "{lang}: tooltip {title}");
            assert_eq!(title.contains(": "), !marked, "{lang}: a tooltip in one language: {title}");
            assert_eq!(label.contains(r#"lang="fr""#), marked, "{lang}: label {label}");
            assert_eq!(row.matches("lang=").count(), if marked { 2 } else { 0 }, "{lang}: {row}");
        }
        let categories = chart_of(&page.body, "chart-categories");
        assert!(!categories.contains("lang="), "{lang}: the categories are the page's words");
        let table = format!(r#"<span lang="fr">{}</span>"#, "Promotion du développement individuel");
        assert_eq!(unescape(&page.body).contains(&table), marked, "{lang}: the table beside the radar");
    }
}

/// The window title of a competence names its catalogue title: on a
/// German or Italian page, where the catalogue has no translation yet, the
/// French title is marked on the `<title>` itself; on a French page it is
/// not. A case's title is marked with the case's language.
#[tokio::test]
async fn a_window_title_in_french_on_a_german_page_is_marked() {
    let app = crate::support::app_with_board();
    let window_title = |body: &str| {
        let start = body.find("<title").expect("a title");
        let end = body[start..].find("</title>").expect("its end") + start;
        body[start..end].to_owned()
    };
    for (lang, marked) in [("de", true), ("it", true), ("fr", false)] {
        let page = app.send("GET", &format!("/catalogue/A7?lang={lang}"), "", None).await;
        assert_eq!(page.status, StatusCode::OK, "{lang}: {}", page.body);
        let title = window_title(&page.body);
        assert!(title.contains("A7"), "{lang}: {title}");
        assert_eq!(title.starts_with(r#"<title lang="fr">"#), marked, "{lang}: {title}");
        if !marked {
            assert!(title.starts_with("<title>"), "{lang}: {title}");
        }
    }
    let (cookie, _) = app
        .login("commission", crate::support::BOARD_PASSWORD)
        .await
        .unwrap_or_else(|answer| panic!("{}", answer.body));
    let bank = app.send("GET", "/api/cases", &cookie, None).await;
    let bank: serde_json::Value = serde_json::from_str(&bank.body).unwrap();
    let case =
        bank.as_array().and_then(|cases| cases.first()).map(|case| case["id"].clone()).expect("a case");
    let page = app.send("GET", &format!("/cases/{case}?lang=de"), &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let title = window_title(&page.body);
    let h1 = page.body.split("<h1 ").nth(1).unwrap_or_default();
    let case_lang =
        h1.split("lang=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("the case's language");
    assert!(title.starts_with(&format!(r#"<title lang="{case_lang}">"#)), "{title}");
}
