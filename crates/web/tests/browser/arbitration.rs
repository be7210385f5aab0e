//! Moderation in a real browser, over the real app with the demo data
//! (API and pages over one state, port 0). The setup, through the API as
//! the board and the examiners would: a second session whose blueprint
//! reconciles part 1 by arbitration, candidate 2027-001 scored 6.0 by
//! exp-01 and 2.5 by exp-02 on position 1.1 (a step and a straddle flag),
//! exp-03 named arbiter of part 1; in the demo session, candidate 2026-006
//! scored the same on 1.1 and a joint evaluation of 4.5 recorded by
//! exp-01.
//!
//! The journeys: the arbiter finds the position in their list only once
//! both examiners submitted, reads both evaluations side by side, scores
//! and submits, and their grade (4.5) is official, the page saying which
//! rule applied; exp-02, whose own 2.5 lies below 4.0 while the joint 4.5
//! lies above, is refused a confirmation without a justification and then
//! confirms with one; the board's progress shows who still has to confirm.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::{Value, json};
use tower::ServiceExt as _;

use super::webdriver::Browser;
use super::{ONE_BROWSER, click_in_view, screenshot_path};

const ADMIN_PASSWORD: &str = "commission-de-test-2026";
const POSITION: &str = "1.1";

/// One API call in-process; its status and JSON body.
async fn call(
    router: &axum::Router,
    method: &str,
    uri: &str,
    token: &str,
    body: Option<Value>,
    if_match: Option<i64>,
) -> (u16, Value) {
    let mut request = Request::builder().method(method).uri(uri);
    if !token.is_empty() {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(version) = if_match {
        request = request.header(header::IF_MATCH, format!("\"{version}\""));
    }
    let body = match body {
        Some(body) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(body.to_string())
        }
        None => Body::empty(),
    };
    let response = router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn ok(router: &axum::Router, method: &str, uri: &str, token: &str, body: Option<Value>) -> Value {
    let (status, value) = call(router, method, uri, token, body, None).await;
    assert!((200..300).contains(&status), "{method} {uri}: {status} {value:#}");
    value
}

async fn token(router: &axum::Router, username: &str, password: &str) -> String {
    let login = json!({"username": username, "password": password});
    ok(router, "POST", "/api/login", "", Some(login)).await["token"].as_str().unwrap().to_owned()
}

/// Answers to the seven criteria of the rubric of 1.1, all at `level`.
fn answers(level: u8) -> Value {
    let answers: Vec<Value> =
        (1..=7).map(|index| json!({"criterion": format!("c{index}"), "points": level})).collect();
    json!({"answers": answers})
}

/// `examiner` saves and submits answers all at `level` on 1.1.
async fn score(router: &axum::Router, session: i64, number: &str, examiner: &str, level: u8) {
    let token = token(router, examiner, grille_server::DEMO_PASSWORD).await;
    let base = format!("/api/sessions/{session}/candidates/{number}/positions/{POSITION}/evaluations/mine");
    let saved = ok(router, "PUT", &base, &token, Some(answers(level))).await;
    let version = saved["version"].as_i64().unwrap();
    let (status, body) = call(router, "POST", &format!("{base}/submit"), &token, None, Some(version)).await;
    assert_eq!(status, 200, "{body:#}");
}

/// The demo app with the arbitration session; its address and the
/// arbitration session's id.
fn start() -> (String, i64, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary data folder");
    let path = dir.path().join("grille.sqlite");
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
        runtime.expect("a tokio runtime").block_on(async move {
            let store = grille_store::Store::open(&path).expect("the store");
            let cost = grille_server::PasswordCost::TESTING;
            let config =
                grille_server::AppConfig { password_cost: cost, ..grille_server::AppConfig::default() };
            let state = grille_server::AppState::new(store, config).expect("the state");
            grille_server::seed_demo(&state).expect("the demo");
            let hash = grille_server::auth::hash_password(ADMIN_PASSWORD, cost).expect("a hash");
            let admin = grille_store::NewUser {
                username: "commission".into(),
                password_hash: hash,
                role: grille_store::Role::Admin,
            };
            state.store().create_user(&grille_store::Actor::system(), &admin).expect("the admin");
            let pages = grille_web::router(grille_web::WebState::with_app(state.clone()));
            let router = grille_server::app_with_pages(state, pages);
            let board = token(&router, "commission", ADMIN_PASSWORD).await;

            // A session whose part 1 is reconciled by a chief expert.
            let blueprint = grille_scoring::embedded::BLUEPRINT.text.replacen(
                "\"examiners\": 2,",
                "\"examiners\": 2,\n      \"reconciliation\": \"arbitration\",",
                1,
            );
            let created = ok(
                &router,
                "POST",
                "/api/sessions",
                &board,
                Some(json!({"name": "Arbitrage 2027", "blueprint": blueprint})),
            )
            .await;
            let id = created["id"].as_i64().unwrap();
            let candidate = json!({"number": "2027-001", "family_name": "Test", "given_name": "Arbitrage"});
            let uri = format!("/api/sessions/{id}/candidates");
            ok(&router, "POST", &uri, &board, Some(json!({"candidates": [candidate]}))).await;
            for examiner in ["exp-01", "exp-02"] {
                let assignment = json!({"candidate_number": "2027-001", "part": "1", "examiner": examiner});
                ok(&router, "POST", &format!("/api/sessions/{id}/assignments"), &board, Some(assignment))
                    .await;
            }
            // A part not reconciled by arbitration takes no arbiter.
            let (status, body) = call(
                &router,
                "PUT",
                &format!("/api/sessions/{id}/arbiters"),
                &board,
                Some(json!({"part": "2", "examiner": "exp-03"})),
                None,
            )
            .await;
            assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/part")), "{body:#}");
            let arbiter = json!({"part": "1", "examiner": "exp-03"});
            ok(&router, "PUT", &format!("/api/sessions/{id}/arbiters"), &board, Some(arbiter)).await;
            ok(&router, "POST", &format!("/api/sessions/{id}/scoring"), &board, Some(json!({}))).await;

            // 6.0 by exp-01; until exp-02 submits, the arbiter sees nothing.
            score(&router, id, "2027-001", "exp-01", 3).await;
            let chief = token(&router, "exp-03", grille_server::DEMO_PASSWORD).await;
            assert_eq!(ok(&router, "GET", "/api/me/arbitrations", &chief, None).await, json!([]));
            let uri = format!("/api/sessions/{id}/candidates/2027-001/positions/{POSITION}/arbitration");
            let (status, _) = call(&router, "GET", &uri, &chief, None, None).await;
            assert_eq!(status, 409, "no arbitration before both submissions");
            // An examiner of the part is never its arbiter.
            let first = token(&router, "exp-01", grille_server::DEMO_PASSWORD).await;
            assert_eq!(call(&router, "GET", &uri, &first, None, None).await.0, 403);
            score(&router, id, "2027-001", "exp-02", 1).await;

            // The demo session: 2026-006 scored 6.0 and 2.5, agreed at 4.5.
            score(&router, 1, "2026-006", "exp-01", 3).await;
            score(&router, 1, "2026-006", "exp-02", 1).await;
            let agreed = format!("/api/sessions/1/candidates/2026-006/positions/{POSITION}/agreed");
            let mut joint = answers(2);
            joint["remark"] = json!("Niveau 2 partout après relecture commune du rapport.");
            ok(&router, "PUT", &agreed, &first, Some(joint)).await;

            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
            sender.send((listener.local_addr().expect("its address"), id)).expect("the test waits");
            axum::serve(listener, router).await.expect("the server runs");
        });
    });
    let (address, id) = receiver.recv_timeout(Duration::from_secs(120)).expect("the server started");
    (format!("http://{address}"), id, dir)
}

fn login(browser: &Browser, base: &str, username: &str, password: &str) {
    // Whoever is signed in signs out first (the button every page has).
    if !browser.find_all("#logout").is_empty() {
        click_in_view(browser, "#logout");
        browser.wait_address("the login page", |url| url.contains("/login"));
    }
    browser.goto(&format!("{base}/login"));
    browser.send_keys(&browser.find("#username"), username);
    browser.send_keys(&browser.find("#password"), password);
    browser.click(&browser.find("#login-submit"));
    browser.wait_address("the home page", |url| !url.contains("/login"));
}

fn wait_url(browser: &Browser, part: &str) {
    browser.wait_address(&format!("an address with {part}"), |url| url.contains(part));
}

#[test]
fn a_chief_expert_arbitrates_and_both_examiners_confirm_a_joint_grade() {
    if std::env::var_os("GRILLE_SKIP_BROWSER_TESTS").is_some_and(|v| v == "1") {
        eprintln!("GRILLE_SKIP_BROWSER_TESTS=1: browser test skipped (CI must run it)");
        return;
    }
    let _guard = ONE_BROWSER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let (base, id, _dir) = start();
    let browser = Browser::start().unwrap_or_else(|message| panic!("{message}"));

    // The arbiter's list: the flagged position, once both submitted.
    login(&browser, &base, "exp-03", grille_server::DEMO_PASSWORD);
    browser.goto(&format!("{base}/examiner"));
    let item = browser.text(&browser.find("#arbitrations li[data-candidate='2027-001']"));
    assert!(item.contains("Arbitrer 1.1 · 2027-001") && item.contains("Arbitrage 2027"), "{item}");
    browser.screenshot(&screenshot_path("arbitration-list"), 1280, 1200);
    click_in_view(&browser, "#arbitrations a.arbitration-link");
    wait_url(&browser, "/arbitration");
    // Both evaluations side by side, with the flags that call for arbitration.
    let heads: Vec<String> =
        browser.find_all("#comparison thead th").iter().map(|th| browser.text(th)).collect();
    assert_eq!(heads[1..3], ["exp-01".to_owned(), "exp-02".to_owned()], "{heads:?}");
    let flags = browser.text(&browser.find("#flags"));
    assert!(flags.contains("écart") && flags.contains("note suffisante"), "{flags}");
    assert!(
        browser.text(&browser.find("#reconciliation")).contains("en attente de l'évaluation de l'arbitre")
    );
    browser.screenshot(&screenshot_path("arbitration-form"), 1280, 2600);
    // Submitting an incomplete arbitration lists what is missing.
    click_in_view(&browser, "label[for='arbiter-level-c1-2']");
    click_in_view(&browser, "#arbitration-submit");
    browser.wait_element("#missing-list");
    assert!(browser.text(&browser.find("#missing-list")).contains("c2"));
    // Every criterion at level 2: 16 of 24 points, 1 + 5 × 16 / 24 = 4.33 → 4.5.
    for index in 2..=7 {
        click_in_view(&browser, &format!("label[for='arbiter-level-c{index}-2']"));
    }
    // The arbiter's form shows its live grade before anything is saved.
    browser.wait_for("the arbiter's live grade of all seven criteria", || {
        browser.text(&browser.find("#arbiter-live-answered")).starts_with("7 / 7")
    });
    assert_eq!(browser.text(&browser.find("#arbiter-live-grade")), "4.5");
    assert!(browser.text(&browser.find("#arbiter-live")).contains("16 / 24"));
    browser.send_keys(
        &browser.find("#arbiter-remark"),
        "Le rapport atteint le niveau attendu sur chaque critère.",
    );
    click_in_view(&browser, "#arbitration-submit");
    wait_url(&browser, "?submitted=1");
    assert!(browser.text(&browser.find("#official-grade")).contains("4.5"));
    let line = browser.text(&browser.find("#reconciliation"));
    assert!(
        line.contains("arbitrage par un·e expert·e en chef")
            && line.contains("l'évaluation de l'arbitre fait la note"),
        "{line}"
    );
    assert!(line.contains("exp-03"), "the engine names the arbiter: {line}");
    assert!(browser.find_all("#arbitration-form").is_empty(), "locked once submitted");
    browser.screenshot(&screenshot_path("arbitration-submitted"), 1280, 2000);

    // The examiners see the arbiter's grade and why on their comparison page.
    login(&browser, &base, "exp-01", grille_server::DEMO_PASSWORD);
    browser.goto(&format!("{base}/examiner/sessions/{id}/candidates/2027-001/positions/1.1/comparison"));
    assert!(browser.text(&browser.find("#official-grade")).contains("4.5"));
    assert!(browser.find_all("#agreed-form").is_empty(), "no joint evaluation in an arbitrated part");

    // The joint grade 4.5 against exp-02's own 2.5: a justification first.
    login(&browser, &base, "exp-02", grille_server::DEMO_PASSWORD);
    let comparison = format!("{base}/examiner/sessions/1/candidates/2026-006/positions/1.1/comparison");
    browser.goto(&comparison);
    let required = browser.text(&browser.find("#justification-required"));
    assert!(required.contains("4.5") && required.contains("2.5"), "{required}");
    let confirmations = browser.text(&browser.find("#confirmations"));
    assert!(confirmations.contains("exp-01 : pas encore confirmée"), "{confirmations}");
    click_in_view(&browser, "#confirm-submit");
    browser.wait_element("#form-notice");
    let refused = browser.text(&browser.find("#form-notice"));
    assert!(refused.contains("justification"), "{refused}");
    browser.screenshot(&screenshot_path("arbitration-confirm-refused"), 1280, 2600);
    browser.send_keys(
        &browser.find("#confirm-justification"),
        "Après relecture commune, le rapport atteint le niveau 2 ; ma première lecture était trop sévère.",
    );
    click_in_view(&browser, "#confirm-submit");
    wait_url(&browser, "?confirmed=1");
    let confirmations = browser.text(&browser.find("#confirmations"));
    assert!(
        confirmations.contains("exp-02 : confirmée") && confirmations.contains("trop sévère"),
        "{confirmations}"
    );
    assert!(confirmations.contains("exp-01 : pas encore confirmée"), "{confirmations}");
    assert!(browser.text(&browser.find("#reconciliation")).contains("en attente de la confirmation"));
    browser.screenshot(&screenshot_path("arbitration-confirmed-one"), 1280, 2600);

    // The board sees who still has to confirm.
    login(&browser, &base, "commission", ADMIN_PASSWORD);
    browser.goto(&format!("{base}/board/sessions/1/progress"));
    let row = browser.text(&browser.find("tbody[data-number='2026-006']"));
    assert!(row.contains("confirmation attendue : exp-01"), "{row}");

    // exp-01 confirms (no justification needed: 6.0 and 4.5 are both sufficient).
    login(&browser, &base, "exp-01", grille_server::DEMO_PASSWORD);
    browser.goto(&comparison);
    assert!(browser.find_all("#justification-required").is_empty());
    click_in_view(&browser, "#confirm-submit");
    wait_url(&browser, "?confirmed=1");
    assert!(browser.text(&browser.find("#official-grade")).contains("4.5"));
    assert!(browser.text(&browser.find("#reconciliation")).contains("confirmée par chaque expert·e"));

    login(&browser, &base, "commission", ADMIN_PASSWORD);
    browser.goto(&format!("{base}/board/sessions/1/progress"));
    let row = browser.text(&browser.find("tbody[data-number='2026-006']"));
    assert!(row.contains("commune confirmée") && !row.contains("confirmation attendue"), "{row}");
    browser.screenshot(&screenshot_path("arbitration-board-progress"), 1280, 2400);
    browser.assert_no_csp_violations();
}
