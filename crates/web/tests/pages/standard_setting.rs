//! The board's standard-setting page over the demo app: the panel table
//! saved from the form (problems shown on the form with what was typed
//! kept, a stale tab refused), the CSV import through preview → confirm
//! with lines and columns, the results with their chart and table, the
//! draft conversion saved into the bank, and who may open the page.

use axum::http::StatusCode;

use crate::support::{self, App, BOARD_PASSWORD, PASSWORD};

async fn login(app: &App, username: &str, password: &str) -> (String, String) {
    let answer = app.post_login(username, password).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{username}: {}", answer.body);
    answer.session()
}

fn urlencode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn form(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(name, value)| format!("{name}={}", urlencode(value))).collect::<Vec<_>>().join("&")
}

const PAGE: &str = "/board/sessions/1/standard-setting";

/// The positions of the demo blueprint, with their maxima, read from the
/// page's table.
fn items(body: &str) -> Vec<(String, f64)> {
    let mut items = Vec::new();
    for chunk in body.split("name=\"item.").skip(1) {
        let id = chunk.split("value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let max = chunk.split("<td class=\"number\">").nth(1).unwrap().split('<').next().unwrap();
        items.push((id, max.trim().parse().unwrap()));
    }
    items
}

/// The form of a three-member panel: 50, 60 and 70 % of each maximum.
fn panel_form(csrf: &str, items: &[(String, f64)], version: &str, first: Option<&str>) -> String {
    let mut pairs = vec![
        ("csrf".to_owned(), csrf.to_owned()),
        ("version".to_owned(), version.to_owned()),
        ("part".to_owned(), String::new()),
        ("basis".to_owned(), "position".to_owned()),
        ("unit".to_owned(), "points".to_owned()),
        ("columns".to_owned(), "4".to_owned()),
        ("rows".to_owned(), items.len().to_string()),
    ];
    for (row, (id, _)) in items.iter().enumerate() {
        pairs.push((format!("item.{row}"), id.clone()));
    }
    for (column, (name, share)) in [("Anna", 0.5), ("Bruno", 0.6), ("Chiara", 0.7)].iter().enumerate() {
        pairs.push((format!("name.{column}"), (*name).to_owned()));
        for (row, (_, max)) in items.iter().enumerate() {
            let value = match (column, row, first) {
                (0, 0, Some(first)) => first.to_owned(),
                _ => format!("{}", max * share),
            };
            pairs.push((format!("est.{column}.{row}"), value));
        }
    }
    // The fourth column is left empty: it is not a panellist.
    pairs.push(("name.3".to_owned(), String::new()));
    form(&pairs)
}

#[tokio::test]
async fn only_the_board_opens_standard_setting() {
    let app = support::app_with_board();
    let (examiner, _) = login(&app, "exp-01", PASSWORD).await;
    let (trainer, _) = login(&app, "formatrice-demo", PASSWORD).await;
    assert_eq!(app.send("GET", PAGE, "", None).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.send("GET", PAGE, &examiner, None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send("GET", PAGE, &trainer, None).await.status, StatusCode::FORBIDDEN);
    let (board, _) = login(&app, "commission", BOARD_PASSWORD).await;
    let post = app.send("POST", PAGE, &board, Some("columns=1&rows=0")).await;
    assert_eq!(post.status, StatusCode::FORBIDDEN, "no token, nothing saved: {}", post.body);
    let missing = app.send("GET", "/board/sessions/999/standard-setting", &board, None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // The quality page links to it.
    let quality = app.send("GET", "/board/sessions/1/quality", &board, None).await;
    assert!(quality.body.contains("id=\"standard-setting-link\""), "{}", quality.body);
}

#[tokio::test]
async fn the_board_records_a_panel_in_the_table_and_reads_the_cut_score() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let page = app.send("GET", PAGE, &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"standard-setting-never-applied\""));
    assert!(!page.body.contains("id=\"angoff-results\""), "no panel yet");
    let items = items(&page.body);
    assert_eq!(items.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), ["1.1", "1.2", "2.1", "3.1"]);
    let total: f64 = items.iter().map(|(_, max)| max).sum();

    // A value above the maximum: the form again, with the problem and
    // what was typed; nothing saved.
    let refused = app.send("POST", PAGE, &cookie, Some(&panel_form(&csrf, &items, "", Some("999")))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("id=\"panel-errors\"") && refused.body.contains("dépassent le maximum"));
    assert!(refused.body.contains("value=\"999\"") && refused.body.contains("value=\"Chiara\""));
    assert!(!refused.body.contains("id=\"angoff-results\""));

    let saved = app.send("POST", PAGE, &cookie, Some(&panel_form(&csrf, &items, "", None))).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, format!("{PAGE}?saved=1"));
    let page = app.send("GET", &saved.location, &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK);
    let cut = format!("{:.2}", total * 0.6);
    assert!(page.body.contains(&format!("<strong id=\"angoff-cut-score\">{cut}</strong>")), "{}", page.body);
    for id in [
        "angoff-panellists",
        "distribution-table",
        "standard-setting-chart",
        "draft-angoff-download",
        "csv-panel",
    ] {
        assert!(page.body.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(page.body.contains("<svg") && page.body.contains("font-size=\"13\""));
    assert!(page.body.contains("tout juste compétent"), "the plain-language sentence");
    // The stored panel fills the table, with one more empty column.
    assert!(page.body.contains("id=\"name-3\" name=\"name.3\" value=\"\""));
    assert!(page.body.contains("name=\"version\" value=\"1\""));

    // A second tab that saw no panel (or version 1 after a save) is stale.
    let stale = app.send("POST", PAGE, &cookie, Some(&panel_form(&csrf, &items, "", None))).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("id=\"panel-errors\""));
    let again = app.send("POST", PAGE, &cookie, Some(&panel_form(&csrf, &items, "1", None))).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);

    // The draft conversion goes into the bank as a draft.
    let draft =
        app.send("POST", &format!("{PAGE}/draft"), &cookie, Some(&format!("csrf={csrf}&cut=angoff"))).await;
    assert_eq!(draft.status, StatusCode::SEE_OTHER, "{}", draft.body);
    assert!(draft.location.starts_with(&format!("{PAGE}?draft=")), "{}", draft.location);
    let bank = app.send("GET", "/documents", &cookie, None).await;
    assert!(bank.body.contains("angoff-s1v2"), "{}", bank.body);
    let twice =
        app.send("POST", &format!("{PAGE}/draft"), &cookie, Some(&format!("csrf={csrf}&cut=angoff"))).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "the same version twice: {}", twice.body);
    assert!(twice.body.contains("id=\"notice\""));

    // In German and Italian.
    for (lang, heading) in [("de", "Bestehensgrenze"), ("it", "soglia")] {
        let page = app.send("GET", &format!("{PAGE}?lang={lang}"), &cookie, None).await;
        assert!(page.body.contains(heading), "{lang}");
    }
}

fn multipart(csrf: &str, csv: &str) -> (String, Vec<u8>) {
    let boundary = "grille-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"part\"\r\n\r\n\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"unit\"\r\n\r\npoints\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"panel.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n\
         --{boundary}--\r\n"
    );
    (format!("multipart/form-data; boundary={boundary}"), body.into_bytes())
}

#[tokio::test]
async fn a_panel_from_a_csv_file_goes_through_preview_and_confirm() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let bad = "élément;Anna;Bruno\n1.1;1;1\n1.2;-2;1\n2.1;1;1\n3.1;1;1\n9.9;1;1\n";
    let (content_type, body) = multipart(&csrf, bad);
    let preview = app.send_bytes(&format!("{PAGE}/csv/preview"), &cookie, &content_type, body).await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", preview.body);
    assert!(preview.body.contains("id=\"csv-errors\""));
    assert!(
        preview.body.contains("<tr data-line=\"3\"><th scope=\"row\">3</th><td>Anna</td>"),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("<tr data-line=\"6\">"), "the unknown item's line");
    assert!(!preview.body.contains("id=\"csv-confirm\""), "nothing to confirm");

    let good = "élément;Anna;Bruno\n1.1;1;2\n1.2;1;2\n2.1;1;2\n3.1;1;2\n";
    let (content_type, body) = multipart(&csrf, good);
    let preview = app.send_bytes(&format!("{PAGE}/csv/preview"), &cookie, &content_type, body).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("id=\"csv-ready\"") && preview.body.contains("id=\"csv-confirm\""));
    assert!(!preview.body.contains("id=\"angoff-results\""), "nothing saved by the preview");
    let confirm = format!("csrf={csrf}&version=&part=&unit=points&csv={}", urlencode(good));
    let saved = app.send("POST", &format!("{PAGE}/csv/confirm"), &cookie, Some(&confirm)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.send("GET", PAGE, &cookie, None).await;
    assert!(page.body.contains("<strong id=\"angoff-cut-score\">6.00</strong>"), "(4 + 8) / 2");
    // The same confirmation again is stale: the panel has version 1 now.
    let stale = app.send("POST", &format!("{PAGE}/csv/confirm"), &cookie, Some(&confirm)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
}
