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

/// The demo app with the board account and a trainer of another school.
fn app_with_other_school() -> App {
    let config = grille_server::AppConfig {
        password_cost: grille_server::PasswordCost::TESTING,
        ..grille_server::AppConfig::default()
    };
    support::app_with(config, |state| {
        let system = grille_store::Actor::system();
        let hash = |password: &str| {
            grille_server::auth::hash_password(password, grille_server::PasswordCost::TESTING).unwrap()
        };
        let board = grille_store::NewUser {
            username: "commission".into(),
            password_hash: hash(BOARD_PASSWORD),
            role: grille_store::Role::Admin,
        };
        state.store().create_user(&system, &board).unwrap();
        let school = state.store().create_school(&system, "Autre école").unwrap();
        let trainer = grille_store::NewUser {
            username: "autre-ecole".into(),
            password_hash: hash(PASSWORD),
            role: grille_store::Role::Trainer,
        };
        state.store().create_user_in_school(&system, &trainer, Some(school.id)).unwrap();
    })
}

/// A trainer sets the standard of a mock exam of their school on the
/// board's page, mounted under the trainer's pages and reached from the
/// session's page; another school's trainer finds no such session, the
/// board is told that a mock exam is the school's.
#[tokio::test]
async fn a_trainer_sets_the_standard_of_their_mock_exam_on_the_same_page() {
    let app = app_with_other_school();
    let (cookie, csrf) = login(&app, "formatrice-demo", PASSWORD).await;
    let created =
        app.send("POST", "/trainer/sessions", &cookie, Some(&format!("csrf={csrf}&name=Blanc+seuil"))).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id: i64 =
        created.location.trim_start_matches("/trainer/sessions/").split('?').next().unwrap().parse().unwrap();
    let base = format!("/trainer/sessions/{id}");
    let page_uri = format!("{base}/standard-setting");
    let session = app.send("GET", &base, &cookie, None).await;
    assert!(
        session.body.contains(&format!(r#"href="{page_uri}" id="standard-setting-link""#)),
        "{}",
        session.body
    );

    for lang in ["fr", "de", "it"] {
        let page = app.send("GET", &page_uri, &format!("{cookie}; lang={lang}"), None).await;
        assert_eq!(page.status, StatusCode::OK, "{lang}: {}", page.body);
        assert!(!page.body.contains('⟦'), "{lang}: a key is missing");
        assert!(page.body.contains(r#"id="standard-setting-never-applied""#), "{lang}");
        // The trainer's frame: the way back to the session, no board menu,
        // every form posting under the trainer's pages.
        // (The templates escape `/` in the addresses they build.)
        let escaped = |uri: &str| uri.replace('/', "&#x2f;");
        assert!(page.body.contains(&format!(r#"id="back-link"><a href="{}""#, escaped(&base))), "{lang}");
        assert!(!page.body.contains("/board/") && !page.body.contains("&#x2f;board"), "{lang}: a board link");
        let form = format!(r#"action="{}/standard-setting" id="panel-form""#, escaped(&base));
        assert!(page.body.contains(&form), "{lang}: {}", page.body);
    }

    // The panel recorded from the form, as the board records one.
    let page = app.send("GET", &page_uri, &cookie, None).await;
    let items = items(&page.body);
    assert!(!items.is_empty(), "{}", page.body);
    let total: f64 = items.iter().map(|(_, max)| max).sum();
    let saved = app.send("POST", &page_uri, &cookie, Some(&panel_form(&csrf, &items, "", None))).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, format!("{page_uri}?saved=1"));
    let page = app.send("GET", &saved.location, &cookie, None).await;
    let cut = format!("{:.2}", total * 0.6);
    assert!(page.body.contains(&format!("<strong id=\"angoff-cut-score\">{cut}</strong>")), "{}", page.body);
    let draft = format!(r#"action="{}/standard-setting/draft""#, base.replace('/', "&#x2f;"));
    assert!(page.body.contains(&draft), "{}", page.body);
    let stale = app.send("POST", &page_uri, &cookie, Some(&panel_form(&csrf, &items, "", None))).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("id=\"panel-errors\""));

    // Another school's trainer: no such session. The board: the school's.
    let (other, other_csrf) = login(&app, "autre-ecole", PASSWORD).await;
    assert_eq!(app.send("GET", &page_uri, &other, None).await.status, StatusCode::NOT_FOUND);
    let posted = app.send("POST", &page_uri, &other, Some(&panel_form(&other_csrf, &items, "1", None))).await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND, "{}", posted.body);
    let (board, _) = login(&app, "commission", BOARD_PASSWORD).await;
    let refused = app.send("GET", &format!("/board/sessions/{id}/standard-setting"), &board, None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    // The refusal of the quality page: a mock exam is its school's.
    let school_only = app.send("GET", &format!("/board/sessions/{id}/quality"), &board, None).await;
    assert_eq!(school_only.status, StatusCode::FORBIDDEN);
    let sentence = "Un examen blanc appartient à son école";
    assert!(refused.body.contains(sentence) && school_only.body.contains(sentence), "{}", refused.body);
    // A trainer's page of an official session does not exist.
    let official = app.send("GET", "/trainer/sessions/1/standard-setting", &cookie, None).await;
    assert_eq!(official.status, StatusCode::NOT_FOUND);
}
