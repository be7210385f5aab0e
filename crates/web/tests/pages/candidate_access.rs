//! Access to the candidate's and the trainer's pages, over the app
//! composed as `grille serve --demo` composes it, driven with `oneshot`:
//! anonymous users go to the login page, each role reaches only its own
//! pages, a trainer only the mock sessions of their school, a form post
//! needs the CSRF token and a stale self-assessment version is refused.

use axum::http::StatusCode;

use crate::support::{self, PASSWORD, app};

#[tokio::test]
async fn anonymous_users_are_sent_to_the_login() {
    let app = app();
    for uri in [
        "/candidate",
        "/candidate/self-assessment",
        "/candidate/profile",
        "/trainer",
        "/trainer/sessions/2",
        "/trainer/sessions/2/results/statistics",
    ] {
        let answer = app.send("GET", uri, "", None).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(answer.location, format!("/login?next={uri}"), "{uri}");
    }
}

#[tokio::test]
async fn each_role_lands_on_its_home_and_reaches_only_its_pages() {
    let app = app();
    for (username, home, refused) in [
        ("candidat-demo", "/candidate", ["/trainer", "/trainer/sessions/2/results/statistics"]),
        ("formatrice-demo", "/trainer", ["/candidate", "/candidate/profile"]),
        ("exp-01", "/examiner", ["/candidate", "/trainer"]),
    ] {
        let (cookie, _) = app.login(username, PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
        let account = app.send("GET", "/account", &cookie, None).await;
        assert_eq!(account.location, home, "{username}");
        let page = app.send("GET", home, &cookie, None).await;
        assert_eq!(page.status, StatusCode::OK, "{username}: {}", page.body);
        for uri in refused {
            let answer = app.send("GET", uri, &cookie, None).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{username} {uri}");
        }
    }
}

#[tokio::test]
async fn a_candidate_sees_no_result_before_publication_and_saves_without_script() {
    let app = app();
    let (cookie, csrf) = app.login("candidat-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let home = app.send("GET", "/candidate", &cookie, None).await;
    assert!(home.body.contains(r#"id="no-results""#), "nothing published in the demo");
    assert!(home.body.contains("0 critères évalués sur 270"));
    let form = app.send("GET", "/candidate/self-assessment", &cookie, None).await;
    // (minijinja escapes "/" in attributes; browsers read it back.)
    assert!(form.body.contains(r#"data-api="&#x2f;api&#x2f;me&#x2f;self-assessment""#), "{}", form.body);
    assert!(form.body.contains("candidate-self-assessment.js"));
    assert!(form.body.contains("/static/self-assessment-form.js"), "the shared part, loaded first");
    // Without the CSRF token: refused; with it: saved, then the profile.
    let refused = app.send("POST", "/candidate/self-assessment", &cookie, Some("version=0&A1.p1=4")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let body = format!("version=0&csrf={csrf}&A1.p1=4&A2.k1=2&lang=fr");
    let saved = app.send("POST", "/candidate/self-assessment", &cookie, Some(&body)).await;
    assert_eq!((saved.status, saved.location.as_str()), (StatusCode::SEE_OTHER, "/candidate/profile"));
    // The same page posted again (version 0) is stale: nothing is overwritten.
    let stale = app.send("POST", "/candidate/self-assessment", &cookie, Some(&body)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let form = app.send("GET", "/candidate/self-assessment", &cookie, None).await;
    assert!(
        form.body.contains(r#"id="r-A1.p1-4" name="A1.p1" value="4" checked"#),
        "restored from the server"
    );
    let profile = app.send("GET", "/candidate/profile", &cookie, None).await;
    assert!(profile.body.contains(r#"id="no-external""#));
    assert!(profile.body.contains(r#"href="/catalogue/A8""#));
}

#[tokio::test]
async fn a_trainer_reaches_the_mock_exams_of_their_school_only() {
    let app = app();
    let (cookie, csrf) =
        app.login("formatrice-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let home = app.send("GET", "/trainer", &cookie, None).await;
    assert!(home.body.contains(grille_server::DEMO_MOCK_SESSION_NAME), "{}", home.body);
    // Blind double marking: the class view (the session's results) waits
    // until the trainer has submitted their own evaluations (ECOLE-03 is
    // not scored yet); the page says why.
    let class = app.send("GET", "/trainer/sessions/2/results/statistics", &cookie, None).await;
    assert_eq!(class.status, StatusCode::FORBIDDEN, "{}", class.body);
    assert!(class.body.contains("Double correction"), "{}", class.body);
    let session = app.send("GET", "/trainer/sessions/2", &cookie, None).await;
    // ...and no page links to it meanwhile: it says when it opens.
    assert!(session.body.contains("ECOLE-03") && !session.body.contains(r#"id="class-view-link""#));
    assert!(session.body.contains(r#"id="results-after-own""#), "{}", session.body);
    for uri in ["/trainer/sessions/1", "/trainer/sessions/1/results/statistics", "/trainer/sessions/99"] {
        let answer = app.send("GET", uri, &cookie, None).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
    }
    // Create a mock exam, enrol one candidate, bad input said plainly.
    let refused = app.send("POST", "/trainer/sessions", &cookie, Some("name=Blanc+2027")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let created =
        app.send("POST", "/trainer/sessions", &cookie, Some(&format!("csrf={csrf}&name=Blanc+2027"))).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let page = app.send("GET", &created.location, &cookie, None).await;
    assert!(page.body.contains("Examen blanc créé.") && page.body.contains("Blanc 2027"), "{}", page.body);
    let id = created.location.trim_start_matches("/trainer/sessions/").split('?').next().unwrap().to_owned();
    let bad = app
        .send(
            "POST",
            &format!("/trainer/sessions/{id}/candidates"),
            &cookie,
            Some(&format!("csrf={csrf}&number=&family_name=X&given_name=Y")),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains(r#"id="enrol-errors""#));
    let enrolled = app
        .send(
            "POST",
            &format!("/trainer/sessions/{id}/candidates"),
            &cookie,
            Some(&format!("csrf={csrf}&number=ECOLE-10&family_name=Classe&given_name=Dix")),
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::SEE_OTHER, "{}", enrolled.body);
    let started = app
        .send(
            "POST",
            &format!("/trainer/sessions/{id}/start"),
            &cookie,
            Some(&format!("csrf={csrf}&partner=formateur-demo")),
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let examiner = app.send("GET", "/examiner", &cookie, None).await;
    assert!(examiner.body.contains("ECOLE-10"), "the trainer scores the new candidate");
}

/// A multipart form with the CSRF token and one file.
fn multipart(csrf: &str, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "grille-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn a_candidate_hands_in_their_work_from_their_home_until_the_deadline() {
    let app = support::app_with(
        grille_server::AppConfig {
            password_cost: grille_server::PasswordCost::TESTING,
            ..Default::default()
        },
        |state| {
            let store = state.store();
            let hash =
                grille_server::auth::hash_password(PASSWORD, grille_server::PasswordCost::TESTING).unwrap();
            let system = grille_store::Actor::system();
            let new = grille_store::NewUser {
                username: "candidate-six".into(),
                password_hash: hash,
                role: grille_store::Role::Candidate,
            };
            let user = store.create_user(&system, &new).unwrap();
            let number =
                grille_store::CandidateNumber::parse(grille_server::DEMO_UNSCORED_CANDIDATE).unwrap();
            store.link_candidate_user(&system, user.id, &number).unwrap();
            store.set_submission_window(&system, 1, "1.1", "2099-03-15T22:59:00Z").unwrap();
        },
    );
    let (cookie, csrf) = app.login("candidate-six", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let home = app.send("GET", "/candidate", &cookie, None).await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert!(home.body.contains(r#"id="work-1-1-1""#), "{}", home.body);
    assert!(home.body.contains("Délai : 2099-03-15 23:59 (heure suisse)"), "{}", home.body);
    assert!(home.body.contains("Aucun travail remis."));
    // A file that is no PDF: said on the page, nothing kept.
    let (kind, body) = multipart(&csrf, "photo.pdf", b"\x89PNG\r\n\x1a\n0000");
    let refused = app.send_bytes("/candidate/work/1/1.1", &cookie, &kind, body).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("pas un PDF"), "{}", refused.body);
    // Without the CSRF token: refused.
    let (kind, body) = multipart("", "travail.pdf", b"%PDF-1.4\n%%EOF\n");
    let forged = app.send_bytes("/candidate/work/1/1.1", &cookie, &kind, body).await;
    assert_ne!(forged.status, StatusCode::SEE_OTHER, "{}", forged.body);
    // A PDF: handed in, shown with its link.
    let (kind, body) = multipart(&csrf, "travail.pdf", b"%PDF-1.4\n%%EOF\n");
    let stored = app.send_bytes("/candidate/work/1/1.1", &cookie, &kind, body).await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
    assert_eq!(stored.location, "/candidate?done=uploaded#work");
    let home = app.send("GET", "/candidate?done=uploaded", &cookie, None).await;
    assert!(home.body.contains("Travail remis."), "{}", home.body);
    assert!(home.body.contains("Votre fichier : travail.pdf"), "{}", home.body);
    let file = app.send("GET", "/api/me/sessions/1/positions/1.1/submission", &cookie, None).await;
    assert_eq!(file.status, StatusCode::OK);
    // Another role does not hand in through the candidate's route.
    let (examiner, examiner_csrf) =
        app.login("exp-01", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let (kind, body) = multipart(&examiner_csrf, "travail.pdf", b"%PDF-1.4\n%%EOF\n");
    let other = app.send_bytes("/candidate/work/1/1.1", &examiner, &kind, body).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
}
