//! The trainer's and the candidate's loops: the class grid of a mock exam,
//! the cohort enrolled by CSV, the filled rubric, the development plan,
//! and the ways through each role's pages.

use axum::http::StatusCode;

use crate::support::{PASSWORD, app};

/// The cells of one row of a grid table, as text.
fn row_of<'a>(body: &'a str, table: &str, candidate: &str) -> &'a str {
    let table_at = body.find(&format!(r#"id="{table}""#)).unwrap_or_else(|| panic!("no {table}: {body}"));
    let rest = &body[table_at..];
    let start =
        rest.find(&format!(r#"data-candidate="{candidate}""#)).unwrap_or_else(|| panic!("no {candidate}"));
    let end = rest[start..].find("</tr>").unwrap();
    &rest[start..start + end]
}

#[tokio::test]
async fn the_class_grid_shows_the_mock_while_it_is_scored() {
    let app = app();
    let (cookie, _) = app.login("formatrice-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let session = app.send("GET", "/trainer/sessions/2", &cookie, None).await;
    assert!(session.body.contains(r#"href="/trainer/sessions/2/grid""#), "{}", session.body);
    let grid = app.send("GET", "/trainer/sessions/2/grid", &cookie, None).await;
    assert_eq!(grid.status, StatusCode::OK, "{}", grid.body);
    let body = &grid.body;
    for id in ["grid-competences", "grid-categories", "grid-incomplete", "grid-withheld", "grid-csv"] {
        assert!(body.contains(&format!(r#"id="{id}""#)), "{id}: {body}");
    }
    // ECOLE-01 is scored by both trainers: its cells are shares, and the
    // weakest of its row is said in words, not by colour only.
    let first = row_of(body, "grid-competences", "ECOLE-01");
    assert!(first.contains(" %"), "{first}");
    assert!(first.contains("(la plus faible de la ligne)"), "{first}");
    // ECOLE-03 is not scored: nothing to show, and the cells say why.
    let third = row_of(body, "grid-competences", "ECOLE-03");
    assert!(!third.contains(" %") && third.contains("(en attente de votre évaluation)"), "{third}");
    let categories = row_of(body, "grid-categories", "ECOLE-01");
    assert_eq!(categories.matches("<td").count(), 4, "{categories}");
    // The CSV: BOM, `;`, the columns in the reader's language.
    let csv = app.send("GET", "/trainer/sessions/2/grid.csv", &cookie, None).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with("\u{feff}numero;nom;"), "{}", csv.body);
    assert!(csv.body.contains("Potentiel de réalisation"), "{}", csv.body);
    assert!(csv.body.lines().any(|line| line.starts_with("ECOLE-01;")), "{}", csv.body);
    assert!(csv.body.lines().any(|line| line.starts_with("Classe;")), "{}", csv.body);
    let german = app.send("GET", "/trainer/sessions/2/grid.csv?lang=de", &cookie, None).await;
    assert!(german.body.starts_with("\u{feff}Nummer;Name;"), "{}", german.body);
    // Outside the school's mock exams there is no grid.
    for uri in ["/trainer/sessions/1/grid", "/trainer/sessions/99/grid.csv"] {
        assert_eq!(app.send("GET", uri, &cookie, None).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let (candidate, _) =
        app.login("candidat-ecole-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    assert_eq!(
        app.send("GET", "/trainer/sessions/2/grid", &candidate, None).await.status,
        StatusCode::FORBIDDEN
    );
}

/// The mock exam `ECOLE-01` sits alone, scored by `formatrice-demo` and
/// `formateur-demo` alike on every position (the worked example's first
/// candidate's marks, each with their own remark), finalised and
/// published through the trainer's pages. Returns its id.
pub(crate) async fn published_mock(app: &crate::support::App) -> i64 {
    let (cookie, csrf) =
        app.login("formatrice-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let created =
        app.send("POST", "/trainer/sessions", &cookie, Some(&format!("csrf={csrf}&name=Blanc+publie"))).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id: i64 =
        created.location.trim_start_matches("/trainer/sessions/").split('?').next().unwrap().parse().unwrap();
    let enrol = format!("csrf={csrf}&number=ECOLE-01&family_name=Classe&given_name=Eleve");
    let enrolled =
        app.send("POST", &format!("/trainer/sessions/{id}/candidates"), &cookie, Some(&enrol)).await;
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
    let (partner, partner_csrf) =
        app.login("formateur-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let example = grille_scoring::embedded::example_session().unwrap();
    let catalogue =
        grille_competence::Catalogue::from_json(grille_competence::EMBEDDED_CATALOGUE_JSON).unwrap();
    let exam = grille_scoring::embedded::federal_exam(&catalogue).unwrap();
    let source = &example.candidates[0];
    for scoring in &source.positions {
        let base =
            format!("/api/sessions/{id}/candidates/ECOLE-01/positions/{}/evaluations/mine", scoring.position);
        // The example's marks, and the highest level where its case left a
        // criterion out (this session assigns no case).
        let (_, position) = exam.blueprint.position(&scoring.position).unwrap();
        let rubric = exam.rubrics.iter().find(|rubric| rubric.id == position.rubric).unwrap();
        let given = &scoring.evaluations[0].answers;
        let answers: Vec<serde_json::Value> = rubric
            .criteria
            .iter()
            .map(|criterion| match given.iter().find(|answer| answer.criterion == criterion.id) {
                Some(answer) => serde_json::to_value(answer).unwrap(),
                None => serde_json::json!({"criterion": criterion.id, "points": criterion.max_points().to_string()}),
            })
            .collect();
        for ((examiner, examiner_csrf), remark) in [(&cookie, &csrf), (&partner, &partner_csrf)]
            .into_iter()
            .zip(["Bonne analyse de la situation.", "Présentation claire."])
        {
            let body = serde_json::json!({"answers": answers, "remark": remark});
            let saved = app.send_json("PUT", &base, examiner, examiner_csrf, &body.to_string()).await;
            assert_eq!(saved.status, StatusCode::OK, "{base}: {}", saved.body);
            let submit = format!("{base}/submit");
            let submitted =
                app.send_json_with_if_match("POST", &submit, examiner, examiner_csrf, "", "1").await;
            assert_eq!(submitted.status, StatusCode::OK, "{base}: {}", submitted.body);
        }
    }
    for step in ["finalise", "publish"] {
        let done = app
            .send(
                "POST",
                &format!("/trainer/sessions/{id}/{step}"),
                &cookie,
                Some(&format!("csrf={csrf}&confirm=yes")),
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{step}: {}", done.body);
    }
    id
}

#[tokio::test]
async fn the_candidate_reads_the_filled_rubric_of_a_published_mock_exam() {
    let app = app();
    let id = published_mock(&app).await;
    let (cookie, _) =
        app.login("candidat-ecole-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let home = app.send("GET", "/candidate", &cookie, None).await;
    let link = format!(r#"href="/candidate/results/{id}/rubric""#);
    assert!(home.body.contains(&link), "{}", home.body);
    let rubric = app.send("GET", &format!("/candidate/results/{id}/rubric"), &cookie, None).await;
    assert_eq!(rubric.status, StatusCode::OK, "{}", rubric.body);
    // Per criterion: the level chosen, the examiner's remark (anonymised),
    // the catalogue criteria it relates to, linked to the catalogue.
    assert!(rubric.body.contains("niveau "), "{}", rubric.body);
    assert!(rubric.body.contains("Expert·e 1 : Présentation claire."), "{}", rubric.body);
    assert!(rubric.body.contains("Expert·e 2 : Bonne analyse de la situation."), "{}", rubric.body);
    assert!(!rubric.body.contains("formatrice-demo :"), "examiners are not named");
    assert!(rubric.body.contains(r#"<a href="/catalogue/"#), "{}", rubric.body);
    let api = app.send("GET", &format!("/api/me/results/{id}/rubric"), &cookie, None).await;
    let filled: grille_server::FilledRubric = serde_json::from_str(&api.body).unwrap();
    assert!(filled.positions.iter().all(|position| position.criteria.iter().all(|c| c.mark != "missing")));
    assert!(filled.positions.iter().flat_map(|p| &p.criteria).any(|c| !c.catalogue.is_empty()));
    // The demo mock exam is not published: no filled rubric, and nobody
    // else's result.
    for other in [2, 1, 99] {
        let answer = app.send("GET", &format!("/candidate/results/{other}/rubric"), &cookie, None).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{other}: {}", answer.body);
    }
}

#[tokio::test]
async fn the_board_opens_an_official_session_to_consultation_and_it_is_audited() {
    let app = crate::support::app_with_board();
    let (cookie, csrf) = app
        .login("commission", crate::support::BOARD_PASSWORD)
        .await
        .unwrap_or_else(|a| panic!("{}", a.body));
    let page = app.send("GET", "/board/sessions/1", &cookie, None).await;
    assert!(page.body.contains(r#"id="consultation-form""#), "{}", page.body);
    assert!(page.body.contains("Ouvrir la consultation"));
    let opened = app
        .send(
            "POST",
            "/board/sessions/1/file-consultation",
            &cookie,
            Some(&format!("csrf={csrf}&enabled=yes")),
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let page = app.send("GET", "/board/sessions/1", &cookie, None).await;
    assert!(page.body.contains("Fermer la consultation"), "{}", page.body);
    let audit = app.send("GET", "/api/audit?entity=exam_session", &cookie, None).await;
    assert!(audit.body.contains("session.file_consultation"), "{}", audit.body);
    // Bad input: a value that is no boolean names the field; a mock
    // session is not the board's to open.
    let bad = app
        .send_json("PUT", "/api/sessions/1/file-consultation", &cookie, &csrf, r#"{"enabled": "oui"}"#)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("/enabled"), "{}", bad.body);
    let mock = app
        .send_json("PUT", "/api/sessions/2/file-consultation", &cookie, &csrf, r#"{"enabled": true}"#)
        .await;
    assert_eq!(mock.status, StatusCode::FORBIDDEN, "{}", mock.body);
    let form = app
        .send(
            "POST",
            "/board/sessions/2/file-consultation",
            &cookie,
            Some(&format!("csrf={csrf}&enabled=yes")),
        )
        .await;
    assert_eq!(form.status, StatusCode::FORBIDDEN, "{}", form.body);
}

#[tokio::test]
async fn the_development_plan_is_saved_versioned_shared_and_commented() {
    let app = app();
    let (cookie, csrf) =
        app.login("candidat-ecole-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let page = app.send("GET", "/candidate/plan", &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(r#"id="plan-empty""#), "{}", page.body);
    // A bad row is refused with its field named, and nothing is saved.
    let bad = format!(
        "csrf={csrf}&version=0&competence-0=A8&goal-0=&due-0=2027-02-30&progress-0=under_way&competence-1=&goal-1="
    );
    let refused = app.send("POST", "/candidate/plan", &cookie, Some(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(
        refused.body.contains("Compétence 1 — Objectif") && refused.body.contains("Compétence 1 — Échéance"),
        "{}",
        refused.body
    );
    let form = format!(
        "csrf={csrf}&version=0&competence-0=A8&goal-0=Comparer+auto-+et+h%C3%A9t%C3%A9ro-%C3%A9valuation&actions-0=Journal+hebdomadaire&due-0=2027-03-01&progress-0=under_way&note-0=&competence-1=&goal-1=&shared=yes"
    );
    let saved = app.send("POST", "/candidate/plan", &cookie, Some(&form)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.send("GET", "/candidate/plan", &cookie, None).await;
    assert!(page.body.contains("Journal hebdomadaire") && page.body.contains("01.03.2027"), "{}", page.body);
    assert!(page.body.contains(r#"name="version" value="1""#));
    // The same form sent again (a stale tab) is a conflict, said plainly.
    let stale = app.send("POST", "/candidate/plan", &cookie, Some(&form)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("a changé entre-temps"), "{}", stale.body);
    // API: unknown competence, twice the same, all at once.
    let body = r#"{"items": [{"competence": "Z9", "goal": "x", "progress": "reached"}, {"competence": "A1", "goal": "x", "progress": "reached"}, {"competence": "A1", "goal": "y", "progress": "reached"}], "shared": false}"#;
    let invalid =
        app.send_json_with_if_match("PUT", "/api/me/development-plan", &cookie, &csrf, body, "1").await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", invalid.body);
    assert!(
        invalid.body.contains("/items/0/competence") && invalid.body.contains("/items/2/competence"),
        "{}",
        invalid.body
    );
    // The school's trainer reads the shared plan and comments it.
    let (trainer, trainer_csrf) =
        app.login("formatrice-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let list = app.send("GET", "/trainer/plans", &trainer, None).await;
    assert!(list.body.contains(r#"href="/trainer/plans/candidat-ecole-demo""#), "{}", list.body);
    let one = app.send("GET", "/trainer/plans/candidat-ecole-demo", &trainer, None).await;
    assert!(one.body.contains("Journal hebdomadaire"), "{}", one.body);
    let empty = app
        .send(
            "POST",
            "/trainer/plans/candidat-ecole-demo/comments",
            &trainer,
            Some(&format!("csrf={trainer_csrf}&text=+")),
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
    let commented = app
        .send(
            "POST",
            "/trainer/plans/candidat-ecole-demo/comments",
            &trainer,
            Some(&format!("csrf={trainer_csrf}&text=Tr%C3%A8s+bon+objectif")),
        )
        .await;
    assert_eq!(commented.status, StatusCode::SEE_OTHER, "{}", commented.body);
    let page = app.send("GET", "/candidate/plan", &cookie, None).await;
    assert!(page.body.contains("Très bon objectif"), "{}", page.body);
    // Unshared, the plan does not exist for the trainer.
    let unshare = "csrf=".to_owned() + &csrf + "&version=1&competence-0=A8&goal-0=Garder&progress-0=reached";
    let saved = app.send("POST", "/candidate/plan", &cookie, Some(&unshare)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    for uri in ["/trainer/plans/candidat-ecole-demo", "/trainer/plans/candidat-demo", "/trainer/plans/nobody"]
    {
        assert_eq!(app.send("GET", uri, &trainer, None).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    // Other roles have no plan.
    let (examiner, _) = app.login("exp-01", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    assert_eq!(app.send("GET", "/candidate/plan", &examiner, None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.send("GET", "/api/me/development-plan", &examiner, None).await.status,
        StatusCode::FORBIDDEN
    );
}

/// The links of a page: same-site paths of `href` attributes, without
/// their fragment; the language switch (`?lang=`) and assets left out.
fn links(body: &str) -> Vec<String> {
    let mut found = Vec::new();
    for piece in body.split("href=\"").skip(1) {
        let Some(end) = piece.find('"') else { continue };
        let href = piece[..end].replace("&#x2f;", "/").replace("&amp;", "&");
        let href = href.split('#').next().unwrap_or_default().to_owned();
        if !href.starts_with('/')
            || href.starts_with("//")
            || href.starts_with("/static/")
            || href.contains("lang=")
        {
            continue;
        }
        found.push(href);
    }
    found
}

/// Walks every page reachable by links from `home`, asserting that each
/// answers 200; returns the paths reached (without query).
async fn crawl(app: &crate::support::App, cookie: &str, home: &str) -> std::collections::BTreeSet<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = std::collections::VecDeque::from([(home.to_owned(), String::from("(home)"))]);
    let mut reached = std::collections::BTreeSet::new();
    let mut refused = Vec::new();
    while let Some((uri, from)) = queue.pop_front() {
        if !seen.insert(uri.clone()) || seen.len() > 600 {
            continue;
        }
        let mut answer = app.send("GET", &uri, cookie, None).await;
        // A link may lead through a redirect (a submitted evaluation's
        // form goes to its comparison), never to the login.
        for _ in 0..3 {
            if answer.status != StatusCode::SEE_OTHER || answer.location.starts_with("/login") {
                break;
            }
            answer = app.send("GET", &answer.location.clone(), cookie, None).await;
        }
        if answer.status != StatusCode::OK {
            refused.push(format!("{uri} ({}) linked from {from}", answer.status));
            continue;
        }
        reached.insert(uri.split('?').next().unwrap_or_default().to_owned());
        let html = answer
            .headers
            .get("content-type")
            .is_some_and(|value| value.to_str().unwrap_or_default().starts_with("text/html"));
        if html {
            for link in links(&answer.body) {
                // Logging out ends the walk's own login.
                if link.starts_with("/logout") {
                    continue;
                }
                queue.push_back((link, uri.clone()));
            }
        }
    }
    assert!(refused.is_empty(), "links to pages that do not answer 200:\n{}", refused.join("\n"));
    reached
}

#[tokio::test]
async fn every_page_a_role_opens_is_reached_from_its_home_and_every_link_answers() {
    let app = crate::support::app_with_board();
    let roles: [(&str, &str, &str, &[&str]); 5] = [
        (
            "commission",
            crate::support::BOARD_PASSWORD,
            "/board",
            &[
                "/board/sessions/1",
                "/board/sessions/1/progress",
                "/board/sessions/1/results",
                "/board/sessions/1/cases",
                "/board/sessions/1/submissions",
                "/board/users",
                "/board/identity",
                "/cases",
                "/documents",
                "/account/password",
                "/account/security",
                "/catalogue",
            ],
        ),
        ("exp-01", PASSWORD, "/examiner", &["/account/password", "/account/security", "/catalogue"]),
        (
            "formatrice-demo",
            PASSWORD,
            "/trainer",
            &[
                "/trainer/sessions/2",
                "/trainer/sessions/2/grid",
                "/trainer/sessions/2/grid.csv",
                "/trainer/sessions/2/cases",
                "/trainer/sessions/2/submissions",
                "/trainer/plans",
                "/examiner",
                "/cases",
                "/documents",
            ],
        ),
        (
            "candidat-demo",
            PASSWORD,
            "/candidate",
            &[
                "/candidate/self-assessment",
                "/candidate/profile",
                "/candidate/plan",
                "/account/password",
                "/account/security",
            ],
        ),
        (
            "candidat-ecole-demo",
            PASSWORD,
            "/candidate",
            &["/candidate/self-assessment", "/candidate/profile", "/candidate/plan"],
        ),
    ];
    for (username, password, home, expected) in roles {
        let (cookie, _) =
            app.login(username, password).await.unwrap_or_else(|a| panic!("{username}: {}", a.body));
        let reached = crawl(&app, &cookie, home).await;
        let missing: Vec<&&str> = expected.iter().filter(|page| !reached.contains(**page)).collect();
        assert!(missing.is_empty(), "{username}: not reached from {home}: {missing:?}\nreached: {reached:?}");
    }
}

#[tokio::test]
async fn a_trainer_enrols_a_cohort_by_csv_through_preview_and_confirmation() {
    let app = app();
    let (cookie, csrf) =
        app.login("formatrice-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let created =
        app.send("POST", "/trainer/sessions", &cookie, Some(&format!("csrf={csrf}&name=Volée+2027"))).await;
    let id = created.location.trim_start_matches("/trainer/sessions/").split('?').next().unwrap().to_owned();
    let page = app.send("GET", &format!("/trainer/sessions/{id}"), &cookie, None).await;
    let unescaped = |body: &str| body.replace("&#x2f;", "/");
    assert!(
        unescaped(&page.body).contains(&format!(r#"action="/trainer/sessions/{id}/enrolment/preview""#)),
        "{}",
        page.body
    );
    let template =
        app.send("GET", &format!("/trainer/sessions/{id}/enrolment/template.csv"), &cookie, None).await;
    assert!(template.body.starts_with("\u{feff}numero,nom,prenom,courriel"), "{}", template.body);
    // A bad line: refused with its line and column, nothing saved.
    let bad = "numero;nom;prenom\nVOL-01;Muster;Anna\n;Sans;Numéro\n";
    let form = format!("csrf={csrf}&csv={}", bad.replace('\n', "%0A").replace(';', "%3B").replace(' ', "+"));
    let preview =
        app.send("POST", &format!("/trainer/sessions/{id}/enrolment/preview"), &cookie, Some(&form)).await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", preview.body);
    assert!(preview.body.contains(r#"<tr data-line="3">"#), "{}", preview.body);
    assert!(
        unescaped(&preview.body).contains(&format!(r#"href="/trainer/sessions/{id}""#)),
        "cancel goes back to the trainer's session"
    );
    let session = app.send("GET", &format!("/trainer/sessions/{id}"), &cookie, None).await;
    assert!(!session.body.contains("VOL-01"), "nothing half-imported");
    // A good file: preview, then confirm.
    let good = "numero;nom;prenom\nVOL-01;Muster;Anna\nVOL-02;Rossi;Marco\n";
    let form = format!("csrf={csrf}&csv={}", good.replace('\n', "%0A").replace(';', "%3B"));
    let preview =
        app.send("POST", &format!("/trainer/sessions/{id}/enrolment/preview"), &cookie, Some(&form)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains(r#"id="csv-confirm""#), "{}", preview.body);
    let confirmed =
        app.send("POST", &format!("/trainer/sessions/{id}/enrolment/confirm"), &cookie, Some(&form)).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.body);
    let session = app.send("GET", &confirmed.location, &cookie, None).await;
    assert!(session.body.contains("VOL-01") && session.body.contains("VOL-02"), "{}", session.body);
    assert!(session.body.contains(r#"id="notice""#), "{}", session.body);
    // Not on the official session, nor for the board's account on this one.
    let official = app.send("POST", "/trainer/sessions/1/enrolment/preview", &cookie, Some(&form)).await;
    assert_eq!(official.status, StatusCode::NOT_FOUND, "{}", official.body);
}

/// A German-speaking candidate reads their filled rubric with the
/// positions' titles in German (the API gives them in French), and their
/// profile against the external assessment with every catalogue title not
/// yet translated marked `lang="fr"`, in the tables and in the chart.
#[tokio::test]
async fn the_candidate_reads_the_rubric_and_profile_in_german() {
    let app = app();
    let id = published_mock(&app).await;
    let (cookie, _) =
        app.login("candidat-ecole-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let api = app.send("GET", &format!("/api/me/results/{id}/rubric"), &cookie, None).await;
    let filled: grille_server::FilledRubric = serde_json::from_str(&api.body).unwrap();
    assert!(!filled.positions.is_empty());
    let rubric = app.send("GET", &format!("/candidate/results/{id}/rubric?lang=de"), &cookie, None).await;
    assert_eq!(rubric.status, StatusCode::OK, "{}", rubric.body);
    for position in &filled.positions {
        let start = format!(r#"<h2 id="filled-{}-heading">"#, position.position.replace('.', "-"));
        let heading = rubric.body.split(&start).nth(1).and_then(|rest| rest.split("</h2>").next());
        let heading = heading.unwrap_or_else(|| panic!("{start} missing: {}", rubric.body));
        assert!(heading.starts_with(&format!("{} ", position.position)), "{heading}");
        assert!(!heading.contains(&position.title), "French title on a German page: {heading}");
        assert!(heading.contains("Note "), "{heading}");
    }
    for lang in ["de", "it"] {
        let profile =
            app.send("GET", &format!("/candidate/profile?session={id}&lang={lang}"), &cookie, None).await;
        assert_eq!(profile.status, StatusCode::OK, "{}", profile.body);
        let body = &profile.body;
        assert!(
            body.contains(r#"</span> <span lang="fr">"#),
            "{lang}: untranslated titles not marked: {body}"
        );
        assert!(
            body.contains(r##"fill="#1d2025" lang="fr"><tspan"##),
            "{lang}: chart labels not marked: {body}"
        );
        // No catalogue title is left unmarked in a table row.
        for row in body.split(r#"<th scope="row">"#).skip(1) {
            let cell = row.split("</th>").next().unwrap_or_default();
            if cell.contains(r#"<span class="code">"#) {
                assert!(cell.contains("<span lang=") || cell.contains("<span>"), "{cell}");
            }
        }
        // The radar's axis labels, and the tooltips of the competences'
        // bars, which then hold the title alone (one language each).
        let radar = crate::refusals::chart_of(body, "chart-domains");
        let axes = crate::refusals::axis_texts(radar);
        assert_eq!(axes.len(), 5, "{lang}: {radar}");
        assert!(axes.iter().all(|axis| axis.contains(r#"lang="fr""#)), "{lang}: {axes:?}");
        let bars = crate::refusals::chart_of(body, "chart-competences");
        let tooltips: Vec<&str> =
            bars.split("<title").skip(2).map(|t| t.split("</title>").next().unwrap()).collect();
        assert!(!tooltips.is_empty(), "{lang}: {bars}");
        for tooltip in tooltips {
            assert!(tooltip.starts_with(r#" lang="fr">"#) && !tooltip.contains(" · "), "{lang}: {tooltip}");
        }
    }
    let french = app.send("GET", &format!("/candidate/profile?session={id}&lang=fr"), &cookie, None).await;
    assert!(!french.body.contains(r#"lang="fr"><tspan"#), "a French page marks nothing");
    let radar = crate::refusals::chart_of(&french.body, "chart-domains");
    assert!(!radar.contains("lang="), "a French page marks nothing: {radar}");
    let bars = crate::refusals::chart_of(&french.body, "chart-competences");
    assert!(!bars.contains("lang=") && bars.contains(" · "), "French tooltips hold the values: {bars}");
}
