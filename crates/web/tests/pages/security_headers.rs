//! The security headers on the pages, over the app composed as `grille
//! serve --demo` composes it: every page, 404 page, download and static
//! asset carries the Content-Security-Policy and the other headers of
//! `grille_server::headers`, `Cache-Control: no-store` exactly where the
//! answer depends on who is logged in, and no HTML page has inline script
//! or style (which the policy would block).

use axum::http::{HeaderMap, StatusCode, header};
use grille_server::headers::SECURITY_HEADERS;

use crate::support::{self, App, BOARD_PASSWORD, PASSWORD};

/// The demo app with a board account `commission`.
fn app() -> App {
    support::app_with_board()
}

fn assert_security_headers(case: &str, headers: &HeaderMap) {
    for (name, value) in SECURITY_HEADERS {
        let sent: Vec<_> = headers.get_all(name).iter().collect();
        assert_eq!(sent, [value], "{case}: {name}");
    }
}

fn cache_control(headers: &HeaderMap) -> Vec<&str> {
    headers.get_all(header::CACHE_CONTROL).iter().map(|value| value.to_str().unwrap()).collect()
}

/// What the policy would block in an HTML page: `<style>` elements,
/// `style` attributes (in HTML and inline SVG), scripts without `src`,
/// event handler attributes and `javascript:` URLs.
fn inline_code(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let (name, attributes) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
        let attributes = attributes_of(attributes);
        let name = name.to_ascii_lowercase();
        let blocked = name == "style"
            || name == "script" && !attributes.iter().any(|(key, _)| key == "src")
            || attributes.iter().any(|(key, value)| {
                key == "style"
                    || key.len() > 2 && key.starts_with("on")
                    || value.trim().to_ascii_lowercase().starts_with("javascript:")
            });
        if blocked {
            found.push(format!("<{tag}>"));
        }
    }
    found
}

/// The attributes of a tag (after its name), names in lower case.
fn attributes_of(text: &str) -> Vec<(String, String)> {
    let mut attributes = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return attributes;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '/').unwrap_or(rest.len());
        let key = rest[..end].to_ascii_lowercase();
        rest = rest[end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (text, remaining) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let close = inner.find(quote).unwrap_or(inner.len());
                    (&inner[..close], inner.get(close + 1..).unwrap_or_default())
                }
                _ => {
                    let close = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..close], &after[close..])
                }
            };
            value = text.to_owned();
            rest = remaining;
        }
        attributes.push((key, value));
    }
}

#[tokio::test]
async fn every_page_answer_carries_the_security_headers_and_its_cache_policy() {
    let app = app();
    let board = app.login("commission", BOARD_PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body)).0;
    let examiner = app.login("exp-01", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body)).0;
    let candidate = app.login("candidat-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body)).0;
    let trainer = app.login("formatrice-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body)).0;
    let no_store = Some("no-store");
    let cookies = [
        ("nobody", ""),
        ("board", &board),
        ("examiner", &examiner),
        ("candidate", &candidate),
        ("trainer", &trainer),
    ];
    // (path, who, status, Cache-Control exactly)
    let cases: Vec<(&str, &str, u16, Option<&str>)> = vec![
        // Public pages, the same for everybody: the handler's own caching.
        ("/", "nobody", 200, None),
        ("/catalogue", "nobody", 200, None),
        ("/catalogue/A7", "nobody", 200, None),
        ("/self-assessment", "nobody", 200, None),
        ("/demo/session", "nobody", 200, None),
        ("/demo/session/statistics", "nobody", 200, None),
        ("/demo/candidates/2026-003", "nobody", 200, None),
        ("/ailleurs", "nobody", 404, None),
        ("/board", "nobody", 303, None),
        // The login form sets its CSRF cookie.
        ("/login", "nobody", 200, no_store),
        // With a session cookie, every page depends on who asks.
        ("/", "board", 200, no_store),
        ("/catalogue", "board", 200, no_store),
        ("/ailleurs", "board", 404, no_store),
        ("/board", "board", 200, no_store),
        ("/board/sessions/1", "board", 200, no_store),
        ("/board/sessions/1/progress", "board", 200, no_store),
        ("/board/sessions/1/results", "board", 200, no_store),
        ("/board/sessions/1/results/statistics", "board", 200, no_store),
        ("/board/sessions/1/candidates/2026-003", "board", 200, no_store),
        ("/board/sessions/1/candidates/2026-003/audit", "board", 200, no_store),
        ("/board/sessions/1/exports", "board", 200, no_store),
        ("/board/sessions/1/submissions", "board", 200, no_store),
        ("/board/sessions/1/enrolment/template.csv", "board", 200, no_store),
        ("/examiner", "examiner", 200, no_store),
        ("/examiner/sessions/1/candidates/2026-006/positions/1.1", "examiner", 200, no_store),
        ("/board", "examiner", 403, no_store),
        ("/candidate", "candidate", 200, no_store),
        ("/candidate/self-assessment", "candidate", 200, no_store),
        ("/candidate/profile", "candidate", 200, no_store),
        ("/trainer", "trainer", 200, no_store),
        ("/trainer/sessions/2", "trainer", 200, no_store),
        ("/trainer/sessions/2/submissions", "trainer", 200, no_store),
        ("/account", "board", 200, no_store),
        ("/account/password", "board", 200, no_store),
        ("/account/password", "examiner", 200, no_store),
        ("/account/security", "examiner", 200, no_store),
        ("/account/security", "board", 200, no_store),
        ("/board/users", "board", 200, no_store),
        // Static assets keep their own caching, whoever asks.
        ("/static/grille.css", "nobody", 200, None),
        ("/static/self-assessment.js", "nobody", 200, None),
        ("/static/self-assessment-form.js", "nobody", 200, None),
        ("/static/board.css", "board", 200, None),
        ("/static/board.js", "board", 200, None),
        ("/static/candidate.css", "candidate", 200, None),
        ("/static/candidate-self-assessment.js", "candidate", 200, None),
        ("/static/examiner.css", "examiner", 200, None),
        ("/static/examiner.js", "examiner", 200, None),
        ("/static/nothing.js", "nobody", 404, None),
    ];
    for (path, who, status, expected) in cases {
        let case = format!("{path} ({who})");
        let cookie = cookies.iter().find(|(name, _)| *name == who).unwrap().1;
        let answer = app.send("GET", path, cookie, None).await;
        assert_eq!(answer.status, StatusCode::from_u16(status).unwrap(), "{case}: {}", answer.body);
        assert_security_headers(&case, &answer.headers);
        assert_eq!(cache_control(&answer.headers), expected.into_iter().collect::<Vec<_>>(), "{case}");
        let html = answer
            .headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.to_str().unwrap().starts_with("text/html"));
        if html {
            assert_eq!(inline_code(&answer.body), Vec::<String>::new(), "{case}");
        }
    }
    // The login form's answer sets the session cookie.
    let login = app.post_login("commission", BOARD_PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_security_headers("POST /login", &login.headers);
    assert_eq!(cache_control(&login.headers), ["no-store"], "POST /login");
}

#[test]
fn inline_code_is_found() {
    for html in [
        r#"<p style="color: red">x</p>"#,
        "<style>p {}</style>",
        "<script>alert(1)</script>",
        r#"<button onclick="go()">x</button>"#,
        r#"<a href="javascript:go()">x</a>"#,
        r#"<svg><rect style="fill: red"/></svg>"#,
    ] {
        assert!(!inline_code(html).is_empty(), "{html}");
    }
    let clean = r#"<script src="/static/board.js" defer></script><svg><rect fill="red" class="bar"/></svg><p>one = two</p><div data-x="elles ont style=1 onclick=">"#;
    assert!(inline_code(clean).is_empty());
}
