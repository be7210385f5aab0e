//! Access to the board's pages, over the app composed as `grille serve
//! --demo` composes it (API + pages over one state, demo data in a
//! temporary database, a board account `commission`), driven with
//! `oneshot`: anonymous users are sent to the login, examiners and
//! trainers get a 403 page on every board page, every form post without
//! the session's CSRF token is refused and changes nothing, and the CSV
//! preview saves nothing.

use axum::http::StatusCode;

use crate::support::{self, App, BOARD_PASSWORD, PASSWORD};

/// The demo app with a board account `commission`.
fn app() -> App {
    support::app_with_board()
}

/// Logs in through the login form; returns the cookie header, the CSRF
/// token and where the login sent the user.
async fn login(app: &App, username: &str, password: &str) -> (String, String, String) {
    let answer = app.post_login(username, password).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{username}: {}", answer.body);
    let (cookie, csrf) = answer.session();
    (cookie, csrf, answer.location)
}

/// Every page of the board on the demo session (id 1).
const PAGES: &[&str] = &[
    "/board",
    "/board/sessions/1",
    "/board/sessions/1/progress",
    "/board/sessions/1/scoring",
    "/board/sessions/1/finalise",
    "/board/sessions/1/publish",
    "/board/sessions/1/results",
    "/board/sessions/1/results/statistics",
    "/board/sessions/1/results/minutes",
    "/board/sessions/1/results/grade-sheets",
    "/board/sessions/1/candidates/2026-003",
    "/board/sessions/1/candidates/2026-003/file",
    "/board/sessions/1/candidates/2026-003/audit",
    "/board/sessions/1/exports",
    "/board/sessions/1/quality",
    "/board/sessions/1/what-if",
    "/board/examiners/exp-05/history",
    "/board/sessions/1/standard-setting",
    "/board/sessions/1/enrolment/template.csv",
    "/board/sessions/1/assignments/template.csv",
];

/// Every form post of the board, with a body that would otherwise be
/// accepted (or at least reach the API).
const POSTS: &[(&str, &str)] = &[
    ("/board/sessions", "name=Session+pirate"),
    ("/board/sessions/1/candidates", "number=2026-900&family_name=X&given_name=Y"),
    ("/board/sessions/1/enrolment/preview", "csv=numero%2Cnom%2Cprenom%0A2026-900%2CX%2CY"),
    ("/board/sessions/1/enrolment/confirm", "csv=numero%2Cnom%2Cprenom%0A2026-900%2CX%2CY"),
    ("/board/sessions/1/assignments", "candidate_number=2026-006&part=2&examiner=exp-03"),
    ("/board/sessions/1/assignments/preview", "csv=numero%2Cepreuve%2Cexpert%0A2026-006%2C2%2Cexp-03"),
    ("/board/sessions/1/assignments/confirm", "csv=numero%2Cepreuve%2Cexpert%0A2026-006%2C2%2Cexp-03"),
    ("/board/sessions/1/candidates/2026-006/status", "status=absent"),
    ("/board/sessions/1/scoring", "confirm=yes"),
    ("/board/sessions/1/finalise", "confirm=yes"),
    ("/board/sessions/1/publish", "confirm=yes"),
    ("/board/sessions/1/candidates/2026-003/corrections", "position=1.1&reason=x&version=1"),
    ("/board/sessions/1/what-if", "pass_rule%2Fmax_insufficient_parts=2"),
    ("/board/sessions/1/standard-setting", "columns=1&rows=1&item.0=1.1&name.0=Pirate&est.0.0=1"),
    ("/board/sessions/1/standard-setting/csv/preview", "csv=element%3BPirate%0A1.1%3B1"),
    ("/board/sessions/1/standard-setting/csv/confirm", "csv=element%3BPirate%0A1.1%3B1"),
];

#[tokio::test]
async fn anonymous_users_are_sent_to_the_login() {
    let app = app();
    for uri in PAGES {
        let answer = app.send("GET", uri, "", None).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{uri}");
        assert!(answer.location.starts_with("/login?next="), "{uri}: {}", answer.location);
    }
    for (uri, body) in POSTS {
        let answer = app.send("POST", uri, "", Some(body)).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{uri}");
        assert!(answer.location.starts_with("/login"), "{uri}");
    }
}

#[tokio::test]
async fn examiners_and_trainers_cannot_open_board_pages() {
    let app = app();
    for username in ["exp-01", "formatrice-demo"] {
        let (cookie, csrf, _) = login(&app, username, PASSWORD).await;
        for uri in PAGES {
            let answer = app.send("GET", uri, &cookie, None).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{username} {uri}");
            assert!(answer.body.contains("réservées à la commission"), "{username} {uri}");
        }
        for (uri, body) in POSTS {
            let answer = app.send("POST", uri, &cookie, Some(&format!("{body}&csrf={csrf}"))).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{username} {uri}");
        }
    }
    // Nothing of it reached the data.
    let (cookie, _, _) = login(&app, "commission", BOARD_PASSWORD).await;
    let session = app.send("GET", "/board/sessions/1", &cookie, None).await;
    assert!(!session.body.contains("2026-900"));
    let progress = app.send("GET", "/board/sessions/1/progress", &cookie, None).await;
    assert!(!progress.body.contains("absent·e"), "2026-006 still present");
}

#[tokio::test]
async fn every_board_form_needs_the_csrf_token() {
    let app = app();
    let (cookie, csrf, home) = login(&app, "commission", BOARD_PASSWORD).await;
    assert_eq!(home, "/board", "the board lands on its sessions");
    for (uri, body) in POSTS {
        for token in ["", "&csrf=wrong"] {
            let answer = app.send("POST", uri, &cookie, Some(&format!("{body}{token}"))).await;
            assert!(
                answer.status == StatusCode::FORBIDDEN,
                "{uri} {token:?}: {} {}",
                answer.status,
                answer.location
            );
            assert!(
                answer.body.contains("jeton de sécurité") || answer.body.contains("CSRF"),
                "{uri}: {}",
                answer.body
            );
        }
    }
    // Nothing changed: no new session, no candidate, 2026-006 still present.
    let list = app.send("GET", "/board", &cookie, None).await;
    assert!(!list.body.contains("Session pirate"));
    let progress = app.send("GET", "/board/sessions/1/progress", &cookie, None).await;
    assert!(!progress.body.contains("absent·e"));
    // With the token, the same status change is made.
    let answer = app
        .send(
            "POST",
            "/board/sessions/1/candidates/2026-006/status",
            &cookie,
            Some(&format!("status=absent&csrf={csrf}")),
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let progress = app.send("GET", "/board/sessions/1/progress", &cookie, None).await;
    assert!(progress.body.contains("absent·e"));
}

#[tokio::test]
async fn the_board_sees_its_pages_and_the_csv_preview_saves_nothing() {
    let app = app();
    let (cookie, csrf, _) = login(&app, "commission", BOARD_PASSWORD).await;
    for uri in PAGES {
        let answer = app.send("GET", uri, &cookie, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
        assert!(!answer.body.contains('⟦'), "{uri}: missing key");
    }
    let results = app.send("GET", "/board/sessions/1/results", &cookie, None).await;
    assert!(results.body.contains("Aperçu"), "preview before finalisation");
    assert!(results.body.contains(r#"data-number="2026-006""#));
    let template = app.send("GET", "/board/sessions/1/enrolment/template.csv", &cookie, None).await;
    assert!(template.body.starts_with("\u{feff}numero,nom,prenom,courriel"));

    // A new session, a CSV with a bad row: the preview names the line.
    let answer =
        app.send("POST", "/board/sessions", &cookie, Some(&format!("name=Printemps&csrf={csrf}"))).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let session = answer.location.split('?').next().unwrap().to_owned();
    let bad = "numero,nom,prenom\n2027-001,Muster,Anna\nmauvais numéro,Muster,Bea\n";
    let form = format!("csrf={csrf}&csv={}", urlencode(bad));
    let preview = app.send("POST", &format!("{session}/enrolment/preview"), &cookie, Some(&form)).await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(preview.body.contains(r#"<tr data-line="3">"#), "{}", preview.body);
    assert!(preview.body.contains("Rien n&#x27;a été enregistré"), "{}", preview.body);
    let page = app.send("GET", &session, &cookie, None).await;
    assert!(page.body.contains(r#"id="no-candidate""#), "nothing saved");
    let good = "numero,nom,prenom\n2027-001,Muster,Anna\n2027-002,Muster,Bea\n";
    let form = format!("csrf={csrf}&csv={}", urlencode(good));
    let preview = app.send("POST", &format!("{session}/enrolment/preview"), &cookie, Some(&form)).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains(r#"id="csv-confirm""#));
    let page = app.send("GET", &session, &cookie, None).await;
    assert!(page.body.contains(r#"id="no-candidate""#), "a preview saves nothing");
    let confirm = app.send("POST", &format!("{session}/enrolment/confirm"), &cookie, Some(&form)).await;
    assert_eq!(confirm.status, StatusCode::SEE_OTHER);
    let page = app.send("GET", &confirm.location, &cookie, None).await;
    assert!(page.body.contains(r#"<tr data-number="2027-002">"#), "{}", page.body);

    // Assignments by CSV, the same flow: the template lists the session's
    // candidates and parts; a file with bad rows is shown by line and
    // column and nothing is saved; a good one is saved on confirmation.
    assert!(page.body.contains(r#"id="assign-csv-form""#), "{}", page.body);
    let template = app.send("GET", &format!("{session}/assignments/template.csv"), &cookie, None).await;
    assert_eq!(template.status, StatusCode::OK);
    assert!(template.body.starts_with("\u{feff}numero,epreuve,expert 1,expert 2\r\n2027-001,1,,\r\n"));
    let bad = "numero;epreuve;expert 1;expert 2\n2027-001;1;exp-01;exp-02\n2027-002;1;exp-01;exp-01\n2027-009;2;exp-01;\n";
    let form = format!("csrf={csrf}&csv={}", urlencode(bad));
    let preview = app.send("POST", &format!("{session}/assignments/preview"), &cookie, Some(&form)).await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", preview.body);
    assert!(
        preview.body.contains(r#"<tr data-line="3"><th scope="row">3</th><td>expert·e 2</td>"#),
        "{}",
        preview.body
    );
    assert!(preview.body.contains(r#"<tr data-line="4"><th scope="row">4</th><td>numéro</td>"#));
    assert!(!preview.body.contains(r#"data-line="2""#), "line 2 is good");
    // The file is corrected and checked again with the same route.
    let action = format!(r#"action="{session}/assignments/preview""#);
    assert!(preview.body.replace("&#x2f;", "/").contains(&action), "{}", preview.body);
    let assigned = || async {
        let page = app.send("GET", &session, &cookie, None).await;
        page.body.matches("exp-0").count()
    };
    let before = assigned().await;
    let confirm = app.send("POST", &format!("{session}/assignments/confirm"), &cookie, Some(&form)).await;
    assert_eq!(confirm.status, StatusCode::UNPROCESSABLE_ENTITY, "all or nothing");
    assert_eq!(assigned().await, before, "nothing saved");
    let good = "numero;epreuve;expert 1;expert 2\n2027-001;1;exp-01;exp-02\n2027-002;1;exp-01;exp-03\n";
    let form = format!("csrf={csrf}&csv={}", urlencode(good));
    let preview = app.send("POST", &format!("{session}/assignments/preview"), &cookie, Some(&form)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(preview.body.matches("<tr><td>").count(), 4, "{}", preview.body);
    let confirm = app.send("POST", &format!("{session}/assignments/confirm"), &cookie, Some(&form)).await;
    assert_eq!(confirm.status, StatusCode::SEE_OTHER, "{}", confirm.body);
    assert!(confirm.location.ends_with("?assigned_count=4"), "{}", confirm.location);
    let page = app.send("GET", &confirm.location, &cookie, None).await;
    assert!(page.body.contains("4 attribution(s) enregistrée(s)."), "{}", page.body);
    assert!(page.body.contains("<td>exp-01, exp-03</td>"), "{}", page.body);

    // Finalising the demo session is refused while 2026-006 is pending,
    // with the server's message.
    let refused = app
        .send("POST", "/board/sessions/1/finalise", &cookie, Some(&format!("confirm=yes&csrf={csrf}")))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains(r#"id="server-refusal""#));
    // Without the confirmation box, nothing is asked of the server.
    let unconfirmed =
        app.send("POST", "/board/sessions/1/finalise", &cookie, Some(&format!("csrf={csrf}"))).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unconfirmed.body.contains("Cochez la case"));
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => char::from(byte).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_submitted_work_page_is_for_the_organiser_and_its_forms_need_the_token() {
    let app = app();
    let page = "/board/sessions/1/submissions";
    let remove = "/board/sessions/1/submissions/2026-007/2.1/delete";
    // An examiner may not open it; a trainer does not see the official session.
    let (cookie, csrf, _) = login(&app, "exp-03", PASSWORD).await;
    assert_eq!(app.send("GET", page, &cookie, None).await.status, StatusCode::FORBIDDEN);
    let answer = app.send("POST", remove, &cookie, Some(&format!("csrf={csrf}"))).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let (cookie, _, _) = login(&app, "formatrice-demo", PASSWORD).await;
    assert_eq!(app.send("GET", page, &cookie, None).await.status, StatusCode::NOT_FOUND);
    // The board opens it; a removal without the token is refused.
    let (cookie, csrf, _) = login(&app, "commission", BOARD_PASSWORD).await;
    let answer = app.send("GET", page, &cookie, None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.contains("id=\"upload-2026-007-2-1\""), "{}", answer.body);
    let answer = app.send("POST", remove, &cookie, Some("csrf=wrong")).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    // With it, removing what is not there says so on the page.
    let answer = app.send("POST", remove, &cookie, Some(&format!("csrf={csrf}"))).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.body);
}

#[tokio::test]
async fn the_board_opens_moves_and_closes_the_candidates_submission_window() {
    let app = support::app_with_board();
    let (cookie, csrf) =
        app.login("commission", support::BOARD_PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let page = app.send("GET", "/board/sessions/1/submissions", &cookie, None).await;
    assert_eq!(page.status, axum::http::StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(r#"id="window-state-1-1">fermé : l&#x27;organisateur dépose"#),
        "{}",
        page.body
    );
    let uri = "/board/sessions/1/submissions/windows/1.1";
    let refused =
        app.send("POST", uri, &cookie, Some(&format!("csrf={csrf}&closes_at=2020-01-01T10%3A00"))).await;
    assert_eq!(refused.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("dans le futur"), "{}", refused.body);
    let opened =
        app.send("POST", uri, &cookie, Some(&format!("csrf={csrf}&closes_at=2099-03-15T23%3A59"))).await;
    assert_eq!(opened.status, axum::http::StatusCode::SEE_OTHER, "{}", opened.body);
    let page = app.send("GET", "/board/sessions/1/submissions?done=window", &cookie, None).await;
    assert!(page.body.contains("ouvert jusqu&#x27;au 2099-03-15 23:59"), "{}", page.body);
    assert!(page.body.contains(r#"value="2099-03-15T23:59""#), "{}", page.body);
    let forged = app.send("POST", &format!("{uri}/close"), &cookie, Some("csrf=wrong")).await;
    assert_ne!(forged.status, axum::http::StatusCode::SEE_OTHER);
    let closed = app.send("POST", &format!("{uri}/close"), &cookie, Some(&format!("csrf={csrf}"))).await;
    assert_eq!(closed.status, axum::http::StatusCode::SEE_OTHER, "{}", closed.body);
    let page = app.send("GET", "/board/sessions/1/submissions", &cookie, None).await;
    assert!(page.body.contains(r#"id="window-state-1-1">fermé"#), "{}", page.body);
}

/// Every link on the pages a role reaches from its home, followed (up to
/// a bound): none leads to a page that refuses its reader or is missing.
#[tokio::test]
async fn no_page_links_to_a_page_its_reader_is_refused() {
    let app = support::app_with_board();
    for (username, password, home) in [
        ("commission", support::BOARD_PASSWORD, "/board"),
        ("exp-01", PASSWORD, "/examiner"),
        ("formatrice-demo", PASSWORD, "/trainer"),
        ("candidat-demo", PASSWORD, "/candidate"),
    ] {
        let (cookie, _) = app.login(username, password).await.unwrap_or_else(|a| panic!("{}", a.body));
        let mut seen = std::collections::BTreeSet::new();
        let mut queue = std::collections::VecDeque::from([(home.to_owned(), "(home)".to_owned())]);
        let mut broken = Vec::new();
        while let Some((uri, from)) = queue.pop_front() {
            if seen.len() >= 120 || !seen.insert(uri.clone()) {
                continue;
            }
            let answer = app.send("GET", &uri, &cookie, None).await;
            if matches!(answer.status.as_u16(), 401 | 403 | 404) || answer.status.is_server_error() {
                broken.push(format!("{uri} ({}) linked from {from}", answer.status));
                continue;
            }
            let html = answer
                .headers
                .get("content-type")
                .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
            if !html {
                continue;
            }
            for part in answer.body.split("href=\"").skip(1) {
                let Some(link) = part.split('"').next() else { continue };
                // minijinja escapes "/" in attributes.
                let link = link.replace("&#x2f;", "/").replace("&amp;", "&");
                let link = link.split('#').next().unwrap_or_default().to_owned();
                let skipped = !link.starts_with('/')
                    || link.starts_with("/static/")
                    || link.starts_with("/logout")
                    || link.starts_with("/login")
                    || link.contains("lang=");
                if !skipped && !seen.contains(&link) {
                    queue.push_back((link, uri.clone()));
                }
            }
        }
        assert!(broken.is_empty(), "{username}: {broken:#?}");
        assert!(seen.len() > 3, "{username} reached only {seen:?}");
    }
}

#[tokio::test]
async fn the_board_reopens_a_submitted_evaluation_from_the_progress_page() {
    let app = support::app_with_board();
    let (cookie, csrf) =
        app.login("commission", support::BOARD_PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let page = app.send("GET", "/board/sessions/1/progress", &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Every reopen form of the page: candidate, position and the first examiner offered.
    let forms: Vec<(String, String, String)> = page
        .body
        .split("<details class=\"reopen\">")
        .skip(1)
        .map(|form| {
            let value = |name: &str| {
                let marker = format!("name=\"{name}\" value=\"");
                let start = form.find(&marker).unwrap() + marker.len();
                form[start..].split('"').next().unwrap().to_owned()
            };
            let examiner =
                form.split("<option value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
            (value("number"), value("position"), examiner)
        })
        .collect();
    assert!(!forms.is_empty(), "the demo session has submitted evaluations: {}", page.body);
    let mut reopened = 0;
    for (number, position, examiner) in &forms {
        let body = format!(
            "csrf={csrf}&number={number}&position={position}&examiner={examiner}&reason=Saisie+erron%C3%A9e"
        );
        let answer = app.send("POST", "/board/sessions/1/progress/reopen", &cookie, Some(&body)).await;
        match answer.status {
            StatusCode::SEE_OTHER => {
                reopened += 1;
                let shown = app.send("GET", &answer.location, &cookie, None).await;
                assert!(shown.body.contains("Évaluation rouverte"), "{}", shown.body);
            }
            // An agreed evaluation rests on it: said on the page.
            StatusCode::CONFLICT => {
                assert!(answer.body.contains("ne peut pas être rouverte"), "{}", answer.body)
            }
            other => panic!("{number} {position} {examiner}: {other} {}", answer.body),
        }
    }
    assert!(reopened > 0, "{forms:?}");
    // Without the CSRF token nothing happens; others are refused the route.
    let (number, position, examiner) = &forms[0];
    let forged = format!("csrf=x&number={number}&position={position}&examiner={examiner}&reason=x");
    assert_ne!(
        app.send("POST", "/board/sessions/1/progress/reopen", &cookie, Some(&forged)).await.status,
        StatusCode::SEE_OTHER
    );
    let (examiner_cookie, examiner_csrf) =
        app.login("exp-01", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let body =
        format!("csrf={examiner_csrf}&number={number}&position={position}&examiner={examiner}&reason=x");
    let refused = app.send("POST", "/board/sessions/1/progress/reopen", &examiner_cookie, Some(&body)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_open_discrepancy_on_the_progress_page_links_to_the_evaluations_side_by_side() {
    let app = support::app_with_board();
    // exp-01 and exp-02 score 2026-006's position 1.1: complete answers
    // taken from the worked example, exp-02 one level apart on the first
    // criterion.
    let example = grille_scoring::embedded::example_session().unwrap();
    let scoring = example.candidates[0].positions.iter().find(|p| p.position == "1.1").unwrap();
    let answers = serde_json::to_value(&scoring.evaluations[0].answers).unwrap();
    let mut other = answers.clone();
    let first = other[0]["points"].as_str().unwrap_or("0").to_owned();
    other[0]["points"] = serde_json::json!(if first == "0" { "3" } else { "0" });
    let base = "/api/sessions/1/candidates/2026-006/positions/1.1/evaluations/mine";
    for (examiner, answers) in [("exp-01", answers), ("exp-02", other)] {
        let (cookie, csrf) = app.login(examiner, PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
        let body = serde_json::json!({"answers": answers}).to_string();
        let saved = app.send_json("PUT", base, &cookie, &csrf, &body).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let version = saved.headers["etag"].to_str().unwrap().to_owned();
        let submitted = app
            .send_json_with_if_match("POST", &format!("{base}/submit"), &cookie, &csrf, "", &version)
            .await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    }
    let (cookie, _) =
        app.login("commission", support::BOARD_PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let page = app.send("GET", "/board/sessions/1/progress", &cookie, None).await;
    let link =
        page.body.split("class=\"flag-badge discrepancy-link\" href=\"").nth(1).expect("an open discrepancy");
    let target = link.split('"').next().unwrap().replace("&#x2f;", "/");
    let anchor = "position-1.1-heading";
    assert_eq!(target, format!("/board/sessions/1/candidates/2026-006/file#{anchor}"));
    let file = app.send("GET", target.split('#').next().unwrap(), &cookie, None).await;
    assert_eq!(file.status, StatusCode::OK, "{target}");
    assert!(file.body.contains(&format!("id=\"{anchor}\"")), "{}", file.body);
}

/// The statistics' content is kept per result and language (issue 9), so
/// it must follow every write: after a candidate who passed is excluded, the
/// pass-rate section of every language changes, and the
/// frame still shows who is logged in (it is rendered per viewer).
#[tokio::test]
async fn the_kept_statistics_follow_every_write_in_every_language() {
    let app = app();
    let (cookie, csrf, _) = login(&app, "commission", BOARD_PASSWORD).await;
    // The pass-rate section: its sentence and table.
    let rate = |body: &str| -> String {
        let start = body.find(r#"id="rate-heading""#).unwrap_or_else(|| panic!("no pass rate: {body}"));
        let end = start + body[start..].find("</table>").expect("the pass-rate table");
        body[start..end].to_owned()
    };
    let languages = ["", "?lang=de", "?lang=it"];
    let mut before = Vec::new();
    for query in languages {
        let uri = format!("/board/sessions/1/results/statistics{query}");
        // Twice: the second is served from what the first kept.
        let first = app.send("GET", &uri, &cookie, None).await;
        let second = app.send("GET", &uri, &cookie, None).await;
        assert_eq!(first.status, StatusCode::OK, "{uri}: {}", first.body);
        assert_eq!(first.body, second.body, "{uri}");
        assert!(first.body.contains("commission"), "{uri}: the frame names the viewer");
        before.push(rate(&first.body));
    }
    let answer = app
        .send(
            "POST",
            "/board/sessions/1/candidates/2026-001/status",
            &cookie,
            Some(&format!("status=excluded&csrf={csrf}")),
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    for (query, before) in languages.into_iter().zip(before) {
        let uri = format!("/board/sessions/1/results/statistics{query}");
        let after = app.send("GET", &uri, &cookie, None).await;
        assert_eq!(after.status, StatusCode::OK, "{uri}: {}", after.body);
        assert_ne!(rate(&after.body), before, "{uri}: the statistics did not follow the write");
    }
}

/// The quality page (issue 13): linked from the statistics, with the
/// severity, fair-measure, criteria and ICC tables and their CSV links;
/// a trainer's quality page of an official session does not exist.
#[tokio::test]
async fn the_board_reads_the_quality_of_the_exam_from_the_statistics() {
    let app = app();
    let (cookie, _, _) = login(&app, "commission", BOARD_PASSWORD).await;
    let statistics = app.send("GET", "/board/sessions/1/results/statistics", &cookie, None).await;
    assert!(statistics.body.contains(r#"id="quality-link""#), "{}", statistics.body);
    assert!(statistics.body.contains("&#x2f;board&#x2f;sessions&#x2f;1&#x2f;quality"), "{}", statistics.body);
    for (query, heading) in [("", "Qualité de l&#x27;examen"), ("?lang=de", "Prüfungsqualität")] {
        let page = app.send("GET", &format!("/board/sessions/1/quality{query}"), &cookie, None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(heading), "{query}: {}", page.body);
        assert!(!page.body.contains('⟦'), "{query}: missing key");
        for id in
            ["severity-1", "severity-2", "severity-3", "fair-1", "criteria-1", "icc-table", "csv-severity"]
        {
            assert!(page.body.contains(&format!(r#"id="{id}""#)), "{query}: no {id}");
        }
        // The worked example has a lenient examiner in part 3, listed first.
        assert!(page.body.contains(r#"id="flagged-examiners""#), "{}", page.body);
    }
    let csv = app.send("GET", "/api/sessions/1/quality/csv?table=criteria", &cookie, None).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with("\u{feff}epreuve;point;grille;critere;"), "{}", csv.body);
    let (trainer, _, _) = login(&app, "formatrice-demo", PASSWORD).await;
    let answer = app.send("GET", "/trainer/sessions/1/quality", &trainer, None).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.body);
}

/// A multipart form of the upload pages: the CSRF token, the file chosen
/// and the (empty) text field.
fn csv_form(csrf: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "grille-csv-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"liste.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\n\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn an_excel_file_in_windows_1252_is_read_right_and_its_encoding_shown() {
    let app = app();
    let (cookie, csrf, _) = login(&app, "commission", BOARD_PASSWORD).await;
    let answer =
        app.send("POST", "/board/sessions", &cookie, Some(&format!("name=Encodages&csrf={csrf}"))).await;
    let session = answer.location.split('?').next().unwrap().to_owned();
    let page = app.send("GET", &session, &cookie, None).await;
    assert!(page.body.contains(r#"enctype="multipart/form-data""#), "{}", page.body);
    assert!(page.body.contains("point-virgule, virgule ou tabulation"), "the separators accepted");
    // « Müller ; Zoé » as Excel writes a CSV on a Swiss Windows: one byte
    // per letter, ü = FC, é = E9.
    let latin: &[u8] = b"Nummer;Name;Vorname\r\n2027-201;M\xfcller;Zo\xe9\r\n";
    let utf8_bom = "\u{feff}numero;nom;prenom\r\n2027-202;Müller;Zoé\r\n".as_bytes();
    let utf8 = "numero,nom,prenom\n2027-203,Müller,Zoé\n".as_bytes();
    for (bytes, number, encoding) in [
        (latin, "2027-201", "Windows-1252"),
        (utf8_bom, "2027-202", "UTF-8 avec BOM"),
        (utf8, "2027-203", "Fichier lu en UTF-8."),
    ] {
        let (content_type, body) = csv_form(&csrf, bytes);
        let uri = format!("{session}/enrolment/preview");
        let preview = app.send_bytes(&uri, &cookie, &content_type, body).await;
        assert_eq!(preview.status, StatusCode::OK, "{encoding}: {}", preview.body);
        assert!(preview.body.contains(r#"id="csv-encoding""#), "{}", preview.body);
        assert!(preview.body.contains(encoding), "{encoding}: {}", preview.body);
        assert!(
            preview.body.contains(&format!(r#"<th scope="row">{number}</th><td>Müller</td><td>Zoé</td>"#))
        );
        assert!(!preview.body.contains('\u{fffd}'), "no replacement character");
        // The confirmation sends the text as read: saved as « Müller ».
        assert!(
            preview.body.contains(&format!("{number};Müller;Zoé"))
                || preview.body.contains(&format!("{number},Müller,Zoé"))
        );
    }
    let (content_type, body) = csv_form(&csrf, latin);
    let preview =
        app.send_bytes(&format!("{session}/enrolment/preview?lang=de"), &cookie, &content_type, body).await;
    assert!(preview.body.contains("Datei gelesen als Windows-1252"), "{}", preview.body);

    // Text typed in the form says no encoding; a workbook or a file with
    // control characters is refused with its place, in the reader's
    // language, and nothing is saved.
    let form = format!("csrf={csrf}&csv={}", urlencode("numero,nom,prenom\n2027-204,Muster,Anna\n"));
    let typed = app.send("POST", &format!("{session}/enrolment/preview"), &cookie, Some(&form)).await;
    assert_eq!(typed.status, StatusCode::OK);
    assert!(!typed.body.contains(r#"id="csv-encoding""#));
    let (content_type, body) = csv_form(&csrf, b"PK\x03\x04\x14\x00workbook");
    let refused =
        app.send_bytes(&format!("{session}/enrolment/preview?lang=de"), &cookie, &content_type, body).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Arbeitsmappe"), "{}", refused.body);
    let (content_type, body) = csv_form(&csrf, b"numero;nom;prenom\n2027-205;A\x00;B\n");
    let refused = app.send_bytes(&format!("{session}/enrolment/preview"), &cookie, &content_type, body).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("ligne 2, colonne 11"), "{}", refused.body);
    // A column problem names the column in the reader's language.
    let (content_type, body) = csv_form(&csrf, b"Nummer;Name\n2027-206;A\n");
    let refused =
        app.send_bytes(&format!("{session}/enrolment/preview?lang=de"), &cookie, &content_type, body).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("<td>Vorname</td>"), "{}", refused.body);
    let page = app.send("GET", &session, &cookie, None).await;
    assert!(page.body.contains(r#"id="no-candidate""#), "a preview saves nothing");
}
